"""The one-time ONNX export of a sentence-transformers model, for the onnx embedder.

The graph is the transformer with the model's pooling (mean over the attention mask, or
the [CLS] token) and L2 normalisation built in, so ONNX Runtime returns the same unit
vectors sentence-transformers does. It is traced with torch's TorchScript exporter
(torch, transformers and onnx: the embeddings extra), checked against torch's own output
on a probe batch, and only then moved into the cache: a failed or interrupted export
leaves no half-written model behind."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import warnings
from pathlib import Path

from .errors import AgentdbError
from .onnx_cache import session, signature

PROBE = ["agentdb checks the export on a short text",
         "and on a longer one, so that padding and the attention mask matter: " + "tokens " * 40]
TOLERANCE = 1e-4


def _pooling(source: Path) -> str:
    try:
        config = json.loads((source / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return "mean"
    if config.get("pooling_mode_cls_token"):
        return "cls"
    if config.get("pooling_mode_mean_tokens", True):
        return "mean"
    raise AgentdbError(f"{source}: only mean or [CLS] pooling can be exported to ONNX")


def _max_seq_length(source: Path) -> int:
    try:
        return int(json.loads((source / "sentence_bert_config.json").read_text())["max_seq_length"])
    except (OSError, ValueError, KeyError):
        return 256


def export(source: Path, target: Path, report=lambda _: None) -> dict:
    """Export the model in SOURCE into the cache folder TARGET; returns its meta."""
    for variable in ("HF_HUB_OFFLINE", "HF_HUB_DISABLE_PROGRESS_BARS", "TQDM_DISABLE"):
        os.environ.setdefault(variable, "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    try:
        import onnx  # noqa: F401 - torch's exporter needs it
        import torch
        from tokenizers import Tokenizer
        from transformers import AutoModel
    except ImportError as exc:
        raise AgentdbError(f"the onnx embedder exports {source.name} on first use, which needs the embeddings "
                           f"extra (torch, transformers, onnx): pip install -e '.[embeddings,onnx]' ({exc})") from exc
    report(f"exporting {source} to ONNX once, into {target}")
    pooling, max_length = _pooling(source), _max_seq_length(source)

    class Pooled(torch.nn.Module):
        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            if pooling == "cls":
                pooled = hidden[:, 0]
            else:
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    module = Pooled(AutoModel.from_pretrained(str(source), attn_implementation="eager").eval())
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.enable_truncation(max_length)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    encoded = tokenizer.encode_batch(PROBE)
    inputs = tuple(torch.tensor([getattr(e, field) for e in encoded], dtype=torch.long)
                   for field in ("ids", "attention_mask", "type_ids"))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        axes = {"batch": 0, "tokens": 1}
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            expected = module(*inputs).numpy()  # before the export: tracing leaves the module's output changed
            # traced on an unpadded batch (a padded one records a branch of the mask code as
            # constants), checked below on the padded probe
            trace = tuple(torch.ones((2, 8), dtype=torch.long) if n < 2 else torch.zeros((2, 8), dtype=torch.long)
                          for n in range(3))
            torch.onnx.export(module, trace, str(staging / "traced.onnx"), dynamo=False, opset_version=17,
                              input_names=["input_ids", "attention_mask", "token_type_ids"],
                              output_names=["embedding"],
                              dynamic_axes={name: {v: k for k, v in axes.items()}
                                            for name in ("input_ids", "attention_mask", "token_type_ids")}
                              | {"embedding": {0: "batch"}})
        _optimize(staging)
        shutil.copy2(source / "tokenizer.json", staging / "tokenizer.json")
        meta = {"signature": signature(source), "pooling": pooling, "max_seq_length": max_length,
                "dimensions": int(expected.shape[1]), "torch": torch.__version__}
        (staging / "meta.json").write_text(json.dumps(meta, indent=2))
        _check(staging, inputs, expected)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return meta


def _optimize(folder: Path) -> None:
    """ONNX Runtime's graph optimizations applied once, here, instead of at every load
    (the provider-independent "extended" level, not the layouts tuned to this CPU), and the
    weights moved to model.onnx.data, which ONNX Runtime maps into memory instead of
    parsing: a session then loads in about 0.1 s instead of 0.2-0.5 s."""
    import onnx
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    options.optimized_model_filepath = str(folder / "optimized.onnx")
    onnxruntime.InferenceSession(str(folder / "traced.onnx"), options, providers=["CPUExecutionProvider"])
    onnx.save_model(onnx.load(str(folder / "optimized.onnx")), str(folder / "model.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="model.onnx.data", size_threshold=1024)
    for name in ("traced.onnx", "optimized.onnx"):
        (folder / name).unlink()


def _check(folder: Path, inputs, expected) -> None:
    session_ = session(folder)
    names = ("input_ids", "attention_mask", "token_type_ids")
    got = session_.run(None, {n: t.numpy() for n, t in zip(names, inputs)})[0]
    worst = float(abs(got - expected).max())
    if worst > TOLERANCE:
        raise AgentdbError(f"the ONNX export differs from the model by {worst:.2e} (over {TOLERANCE}): not cached")
