"""Small shared helpers: random state, thread counts, input checks, column names.

The bottom layer of gaussmix: nothing here imports from another gaussmix package.
"""
