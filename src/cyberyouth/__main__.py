import sys

from cyberyouth.cli import main

sys.exit(main())
