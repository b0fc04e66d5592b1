"""The command line: ``jianghua`` and ``python -m app`` run the same ``main``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from app import parser as speech_parser


def _read(path: str, encoding: str | None) -> str:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    return speech_parser.decode(data, encoding=encoding)


def cmd_parse(args: argparse.Namespace) -> int:
    parsed = speech_parser.parse(_read(args.file, args.encoding))
    out = speech_parser.to_dict(parsed, include_text=args.with_text)
    sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=None if args.compact else 2))
    sys.stdout.write("\n")
    return 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="jianghua", description="Jianghua: structured Chinese speeches.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="print a speech's parse result as JSON (the parse contract)")
    p.add_argument("file", help="path to the speech text, or - for standard input")
    p.add_argument("--encoding", help="force an input encoding instead of detecting it")
    p.add_argument("--with-text", action="store_true", help="include the normalised text")
    p.add_argument("--compact", action="store_true", help="one line of JSON")
    p.set_defaults(func=cmd_parse)
    return ap


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result: int = args.func(args)
    return result
