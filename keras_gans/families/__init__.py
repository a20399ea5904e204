"""The zoo's GAN families: one folder each, found by `keras_gans.registry`.

A family is a folder `keras_gans/families/<name>/`:

- `model.py`: the family's `keras_gans.GAN` subclass (its first public
  class), with its networks, phases and compile defaults;
- `networks.py` (optional): builders and layers only this family uses
  (blocks several families share live in `keras_gans.networks`);
- `README.md`: its page (paper, what is implemented, measured results);
- `test_<name>.py` (optional): its own tests, beyond the checklist every
  family passes (`tests/test_families.py`).

Nothing here imports a family: the registry lists the folders and imports
a family on first use, so adding one is adding a folder. See
docs/adding_a_family.md.
"""
