"""Dataset loading (generic and MedMNIST layouts, 1D/2D/3D), every bad-input case, and the generators."""
from __future__ import annotations

import numpy as np
import pytest

from benchmarks_data import DataError
from benchmarks_data.datasets import Dataset, from_arrays, load_dataset, save_dataset
from benchmarks_data.synthetic import (make_dataset, make_digits, make_ecg, make_mnist, make_nodule3d,
                                      stratified_splits)


def _generic(shape=(1, 12), n=(12, 6, 6), classes=3, seed=0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    out = {}
    for split, count in zip(("train", "val", "test"), n):
        out[f"x_{split}"] = rng.normal(size=(count, *shape)).astype(np.float32)
        out[f"y_{split}"] = np.arange(count) % classes
    return out


def _write(tmp_path, name="data.npz", **arrays) -> str:
    path = str(tmp_path / name)
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("shape,dim", [((2, 50), 1), ((3, 8, 8), 2), ((1, 4, 5, 6), 3)])
def test_generic_layout_keeps_shapes_and_infers_dim(tmp_path, shape, dim):
    arrays = _generic(shape)
    ds = load_dataset(_write(tmp_path, **arrays))
    assert ds.dim == dim and ds.sample_shape == shape and ds.in_channels == shape[0]
    assert ds.num_classes == 3 and ds.name == "data"
    np.testing.assert_array_equal(ds.x_val, arrays["x_val"])
    assert ds.x_train.dtype == np.float32 and ds.y_train.dtype == np.int64


def test_medmnist_3d_layout_gets_a_channel_axis_and_flat_labels(tmp_path):
    rng = np.random.default_rng(0)
    arrays = {f"{s}_images": rng.integers(0, 255, (n, 6, 6, 6)).astype(np.uint8) for s, n in
              (("train", 10), ("val", 4), ("test", 4))}
    arrays.update({f"{s}_labels": (np.arange(n) % 2)[:, None] for s, n in (("train", 10), ("val", 4), ("test", 4))})
    ds = load_dataset(_write(tmp_path, "nodulemnist3d.npz", **arrays))
    assert ds.dim == 3 and ds.sample_shape == (1, 6, 6, 6) and ds.y_train.shape == (10,)
    np.testing.assert_array_equal(ds.x_train[:, 0], arrays["train_images"].astype(np.float32))


def test_medmnist_2d_rgb_moves_channels_first_and_grey_gets_one(tmp_path):
    rng = np.random.default_rng(0)
    rgb = {f"{s}_images": rng.integers(0, 255, (6, 5, 5, 3)).astype(np.uint8) for s in ("train", "val", "test")}
    rgb.update({f"{s}_labels": (np.arange(6) % 2)[:, None] for s in ("train", "val", "test")})
    ds = load_dataset(_write(tmp_path, "pathmnist.npz", **rgb))
    assert ds.sample_shape == (3, 5, 5)
    np.testing.assert_array_equal(ds.x_train[:, 1], rgb["train_images"][..., 1].astype(np.float32))
    grey = {k: (v[..., 0] if k.endswith("images") else v) for k, v in rgb.items()}
    assert load_dataset(_write(tmp_path, "g.npz", **grey)).sample_shape == (1, 5, 5)


def test_save_then_load_round_trips(tmp_path):
    ds = load_dataset(_write(tmp_path, **_generic((1, 3, 3))))
    path = str(tmp_path / "copy.npz")
    save_dataset(ds, path)
    again = load_dataset(path, name=ds.name)
    for split in ("train", "val", "test"):
        np.testing.assert_array_equal(again.split(split)[0], ds.split(split)[0])
        np.testing.assert_array_equal(again.split(split)[1], ds.split(split)[1])


def _bad(tmp_path, arrays) -> str:
    with pytest.raises(DataError) as err:
        load_dataset(_write(tmp_path, **arrays))
    message = str(err.value)
    assert "\n" not in message
    return message


def test_missing_split_is_named(tmp_path):
    arrays = _generic()
    del arrays["x_test"], arrays["y_test"]
    assert "x_test" in _bad(tmp_path, arrays)


def test_empty_split(tmp_path):
    arrays = _generic()
    arrays["x_val"], arrays["y_val"] = arrays["x_val"][:0], arrays["y_val"][:0]
    assert "'val' is empty" in _bad(tmp_path, arrays)


def test_label_count_mismatch(tmp_path):
    arrays = _generic()
    arrays["y_train"] = arrays["y_train"][:-2]
    assert "12 samples but 10 labels" in _bad(tmp_path, arrays)


def test_nan_inputs_point_at_the_sample(tmp_path):
    arrays = _generic()
    arrays["x_test"][4, 0, 3] = np.nan
    message = _bad(tmp_path, arrays)
    assert "x_test" in message and "NaN" in message and "sample 4" in message


@pytest.mark.parametrize("shape", [(12,), (12, 5, 2, 2, 2, 2)])
def test_wrong_input_rank(tmp_path, shape):
    arrays = _generic()
    arrays["x_train"] = np.zeros(shape, np.float32)
    assert "expected (n, channels, length)" in _bad(tmp_path, arrays)


def test_splits_with_different_sample_shapes(tmp_path):
    arrays = _generic()
    arrays["x_val"] = np.zeros((6, 1, 13), np.float32)
    assert "different sample shapes" in _bad(tmp_path, arrays)


@pytest.mark.parametrize("labels,words", [(np.full(12, 0.5), "non-integer"), (-np.ones(12), "negative"),
                                          (np.zeros((12, 2)), "one class index")])
def test_bad_labels(tmp_path, labels, words):
    arrays = _generic()
    arrays["y_train"] = labels
    assert words in _bad(tmp_path, arrays)


def test_single_class_train_split(tmp_path):
    arrays = _generic()
    arrays["y_train"] = np.zeros(12, int)
    assert "single class" in _bad(tmp_path, arrays)


def test_unknown_layout_and_unreadable_file(tmp_path):
    assert "unknown layout" in _bad(tmp_path, {"images": np.zeros((3, 2))})
    garbage = tmp_path / "junk.npz"
    garbage.write_bytes(b"not a zip")
    with pytest.raises(DataError, match="not a readable .npz"):
        load_dataset(str(garbage))
    with pytest.raises(DataError, match="no such file"):
        load_dataset(str(tmp_path / "missing.npz"))


def test_medmnist_layout_missing_a_split(tmp_path):
    arrays = {"train_images": np.zeros((4, 3, 3)), "train_labels": np.zeros((4, 1)),
              "val_images": np.zeros((4, 3, 3)), "val_labels": np.zeros((4, 1))}
    assert "test_images" in _bad(tmp_path, arrays)


def test_stratified_splits_keep_class_balance():
    y = np.repeat([0, 1, 2], 50)
    parts = stratified_splits(np.arange(150)[:, None], y, seed=1)
    assert [len(parts[s][1]) for s in ("train", "val", "test")] == [90, 30, 30]
    for split in parts.values():
        assert np.all(np.bincount(split[1]) == np.bincount(split[1])[0])
    together = np.sort(np.concatenate([parts[s][0][:, 0] for s in parts]))
    np.testing.assert_array_equal(together, np.arange(150))


def test_generators_have_the_documented_layouts_and_are_seeded():
    ecg = make_ecg(40, seed=3)
    assert ecg.sample_shape == (1, 1000) and ecg.num_classes == 4 and len(ecg.y_train) == 24
    np.testing.assert_array_equal(ecg.x_test, make_ecg(40, seed=3).x_test)
    assert not np.array_equal(ecg.x_test, make_ecg(40, seed=4).x_test)
    nodules = make_nodule3d(20, seed=0, size=12)
    assert nodules.sample_shape == (1, 12, 12, 12) and nodules.num_classes == 2
    digits = make_digits()
    assert digits.sample_shape == (1, 8, 8) and digits.num_classes == 10
    assert sum(len(digits.split(s)[1]) for s in ("train", "val", "test")) == 1797
    assert 0.0 <= digits.x_train.min() and digits.x_train.max() <= 1.0
    mnist = make_mnist()
    assert mnist.sample_shape == (1, 16, 16) and mnist.num_classes == 10
    assert [len(mnist.split(s)[1]) for s in ("train", "val", "test")] == [1000, 2000, 2000]
    assert np.bincount(mnist.y_train).tolist() == [100] * 10                       # stratified
    assert 0.0 <= mnist.x_train.min() and mnist.x_train.max() <= 1.0 and mnist.x_train.mean() > 0.05
    np.testing.assert_array_equal(mnist.x_val, make_mnist(seed=0).x_val)


def test_noisy_ecg_class_is_rougher_than_normal_rhythm():
    ds = make_ecg(80, seed=0)
    x, y = ds.x_train[:, 0], ds.y_train
    roughness = np.abs(np.diff(x, axis=1)).mean(1)
    assert roughness[y == 3].mean() > 1.5 * roughness[y == 0].mean()


def test_generator_errors():
    with pytest.raises(DataError, match="unknown dataset kind"):
        make_dataset("eeg")
    with pytest.raises(DataError, match="n >= 20"):
        make_ecg(5)
    with pytest.raises(DataError, match="between 50 and 1797"):
        make_digits(10)
    with pytest.raises(DataError, match="between 50 and 5000"):
        make_mnist(10)


def test_from_arrays_needs_two_classes():
    x = np.zeros((4, 1, 3), np.float32)
    with pytest.raises(DataError, match="only one class"):
        from_arrays("t", {s: (x, np.zeros(4, int)) for s in ("train", "val", "test")})
    assert isinstance(from_arrays("t", {s: (x, np.arange(4) % 2) for s in ("train", "val", "test")}), Dataset)
