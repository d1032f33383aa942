"""The ground floor every other package stands on: validators, optional extras, files, messages.

- :mod:`postmine.core.checks` -- validators at the top of every calculation function (a value
  outside its range raises ``ValueError`` naming the parameter, the value and the range);
- :mod:`postmine.core.extras` -- :func:`~postmine.core.extras.require`, the one helper that
  imports an optional dependency and names the extra to install;
- :mod:`postmine.core.files` -- :func:`~postmine.core.files.write_atomic` (whole or not at all);
- :mod:`postmine.core.validation` -- one formatter of pydantic validation errors for people.

It imports nothing else of postmine.
"""
