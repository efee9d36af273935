"""``python -m synth`` = ``zc-synth``."""
import sys

from .cli import main

sys.exit(main())
