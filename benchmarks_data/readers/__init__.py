"""Readers of the formats clinical data comes in, each -> a :class:`~benchmarks_data.datasets.Dataset`:

* :mod:`.physionet`: a PhysioNet record set with one label per record (CinC 2017) -> windows;
* :mod:`.beats`: WFDB records with beat annotations (MIT-BIH) -> one window per beat, AAMI classes;
* :mod:`.medmnist`: a MedMNIST ``.npz`` (official splits, or a seeded re-split of the pooled images).

Every split is by record (patient) and stratified by class (:mod:`.splits`).
"""
