"""Few-shot comparison of ranking methods on one problem (``zc-synth compare``): the methods in
:mod:`synth.compare.methods`, the splits and summary in :mod:`synth.compare.run`, the command in
:mod:`synth.commands.compare`. Nothing is imported here, so ``zc-synth --help`` stays fast."""
