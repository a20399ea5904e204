"""`python -m keras_gans.cli`: the `keras-gans` command.

Example:

```
python -m keras_gans.cli list 'dcgan*'
```
"""

import sys

from keras_gans.cli import main

sys.exit(main())
