"""The zoo's presets: `<family>/<preset>.json` recipes, each with its
measured records in the sidecar `<preset>.results.json` and its shipped
weights in `<preset>.npz`.

In a source checkout the files live in the top-level `zoo/` folder and this
package holds only this placeholder; setup.cfg maps `keras_gans.zoo` onto
`zoo/`, so an installed package has the JSON files here. Read them with
`keras_gans.list_presets()`, `keras_gans.get_preset(name)` and
`keras_gans.from_preset(name)`.
"""
