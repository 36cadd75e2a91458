"""``python -m corpus.release …``: the same commands as ``corpus release …``."""

import sys

from corpus.cli import main

sys.exit(main(["release", *sys.argv[1:]]))
