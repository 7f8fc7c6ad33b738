import sys

from server.producers import main

sys.exit(main())
