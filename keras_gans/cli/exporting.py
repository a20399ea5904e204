"""`keras-gans export`: the generator as a TF Serving SavedModel, or as one
ONNX file.

Example:

```
keras-gans export runs/dcgan/model.keras export/dcgan --version 1
keras-gans export dcgan_digits export/onnx --format onnx
```
"""

import os

from keras_gans.cli.common import UserError, _check_writable, _first_line, _load_model, _resolve


def _cmd_export(args):
    source = _resolve(args.model)  # a typo is answered before TensorFlow starts
    if args.format == "onnx":
        return _cmd_export_onnx(args, source)
    try:
        from keras_gans.export import export_generator
    except ImportError:
        raise UserError(
            "this installation of keras_gans has no export module "
            "(keras_gans.export); upgrade keras_gans to export generators."
        ) from None
    _check_writable(args.dir)
    model = _load_model(source, compile=False)
    try:
        path = export_generator(
            model, args.dir, version=args.version, overwrite=args.overwrite,
            uint8=args.uint8,
        )
    except (FileExistsError, ValueError, TypeError) as error:
        message = _first_line(error).replace("Pass overwrite=True", "Pass --overwrite")
        raise UserError(message) from None
    print(f"Exported the generator to {path or args.dir}")
    return 0


def _cmd_export_onnx(args, source):
    if args.version is not None or args.uint8:
        raise UserError(
            "--version and --uint8 are SavedModel options; --format onnx "
            "writes one file (DIR/generator.onnx, or DIR itself if it ends in .onnx)."
        )
    from keras_gans.onnx_export import export_onnx, onnx_path

    _check_writable(os.path.dirname(os.path.abspath(onnx_path(args.dir))))
    model = _load_model(source, compile=False)
    try:
        path = export_onnx(model, args.dir, overwrite=args.overwrite)
    except (FileExistsError, ValueError, TypeError, ImportError, RuntimeError) as error:
        message = _first_line(error).replace("Pass overwrite=True", "Pass --overwrite")
        raise UserError(message) from None
    print(f"Exported the generator to {path} (ONNX)")
    return 0


def add_parsers(sub):
    """Add the `export` subcommand to `sub`.

    Example:

    >>> parser = argparse.ArgumentParser()
    >>> add_parsers(parser.add_subparsers(dest="command"))
    """
    p = sub.add_parser("export", help="export the generator as a SavedModel")
    p.add_argument("model", help="a .keras file, a training --out folder or a preset with weights")
    p.add_argument("dir", help="the export folder")
    p.add_argument("--version", type=int, help="version sub-folder (TF Serving)")
    p.add_argument("--uint8", action="store_true", help="also return uint8 pixels")
    p.add_argument("--format", choices=("savedmodel", "onnx"), default="savedmodel",
                   help="savedmodel (a TF Serving version folder, default) or onnx "
                   "(DIR/generator.onnx for ONNX Runtime)")
    p.add_argument("--overwrite", action="store_true", help="replace an existing export")
    p.set_defaults(handler=_cmd_export)

