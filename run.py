#!/usr/bin/env python3
"""Entry point without installing: `python run.py <command>`, the same CLI as the `stakesim` script."""

import sys

from sim.cli import main

if __name__ == "__main__":
    sys.exit(main())
