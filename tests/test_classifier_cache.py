"""A forged digits-classifier cache is refused (issue 11): the checksum
sits in the file, so the check is anchored in held-out data outside it."""

import json
import warnings

import numpy as np

from keras_gans.evaluation import features


def test_forged_cache_with_a_matching_hash_is_rebuilt(tmp_path, clf, _private_cache):
    import shutil

    source = features.digits_cache_path(_private_cache)
    path = features.digits_cache_path(str(tmp_path))
    shutil.copy(source, path)
    with np.load(path) as data:
        files = dict(data.items())
    meta = json.loads(str(files["meta"]))
    rng = np.random.default_rng(0)
    forged = [rng.standard_normal(files[f"w{i}"].shape).astype(files[f"w{i}"].dtype)
              for i in range(len(meta["shapes"]))]
    for i, w in enumerate(forged):
        files[f"w{i}"] = w
    meta["sha256"] = features._weights_digest(forged)  # a matching hash
    files["meta"] = np.array(json.dumps(meta))
    with open(path, "wb") as f:
        np.savez(f, **files)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rebuilt = features.DigitsClassifier(cache_dir=str(tmp_path))
    assert any("held-out accuracy" in str(w.message) for w in caught)
    assert rebuilt.accuracy > 0.9
