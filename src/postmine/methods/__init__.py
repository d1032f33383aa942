"""Pure engineering formulas of the source documents, one module per method family.

Every function takes numbers or numpy arrays (SI units unless its docstring says otherwise,
angles in degrees), validates them with :mod:`postmine.core.checks` and returns
numbers or arrays. Nothing here prints, logs or touches files.

Sources
-------
[003] Abaza mine, technical reclamation of disturbed land, project documentation, vol. 3,
      book 1 (2022). ``shared/seeds/003_5c0ad65a3bc3d6ad.txt``.
[004] Practical works on rational nature use in mining (university methods).
      ``shared/seeds/004_255390ac746d3a1e.txt``.
"""
