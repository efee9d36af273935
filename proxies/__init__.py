"""Hand-crafted zero-cost proxies for PyTorch networks (work in progress: see the project issues).

The symbolic-regression engine reads published proxy scores through :mod:`benchmarks_data`;
this package will compute them for new networks and tasks.
"""
