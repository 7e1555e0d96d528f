"""``python -m nevcalc``: the ``nevcalc`` console script, run as a module.

It imports what the console script imports (:mod:`nevcalc.cli`) and nothing more,
so a start is as quick, and it exits with the same codes.
"""

from nevcalc.cli import main

if __name__ == "__main__":
    main()
