import sys

from server.api import main

sys.exit(main())
