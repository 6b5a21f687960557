"""Warnings the mixtures raise (beside scikit-learn's ``ConvergenceWarning``)."""


class DegenerateComponentWarning(UserWarning):
    """A component collapsed onto a point or lost its mass and was re-seeded."""
