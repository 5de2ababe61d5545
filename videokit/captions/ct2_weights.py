"""Read a CTranslate2 Whisper model.bin and rewrite it as an openai-whisper checkpoint (pure numpy + torch).

The bundled base model exists only in CTranslate2 format; openai-whisper gets the very same weights this way,
converted once and cached, instead of a loader that would download them.
"""

from __future__ import annotations

import json
import re
import struct
from pathlib import Path
from typing import Any

import numpy as np

# order of CTranslate2's DataType enum (include/ctranslate2/types.h)
CT2_DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16)


def read_ct2(path: Path) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """Variables and aliases of a CTranslate2 model.bin (binary format version 5 or 6)."""
    data = path.read_bytes()
    pos = 0

    def unpack(fmt: str) -> Any:
        nonlocal pos
        value = struct.unpack_from(fmt, data, pos)[0]
        pos += struct.calcsize(fmt)
        return value

    def string() -> str:
        nonlocal pos
        n = unpack("H")
        text = data[pos:pos + n - 1].decode("utf-8")
        pos += n
        return text

    version = unpack("I")
    if version not in (5, 6):
        raise ValueError(f"unsupported CTranslate2 model format version {version}")
    string()  # spec name
    unpack("I")  # revision
    variables: dict[str, np.ndarray] = {}
    for _ in range(unpack("I")):
        name = string()
        shape = [unpack("I") for _ in range(unpack("B"))]
        dtype = CT2_DTYPES[unpack("B")]
        nbytes = unpack("I")
        variables[name] = np.frombuffer(data, dtype=dtype, count=nbytes // np.dtype(dtype).itemsize,
                                        offset=pos).reshape(shape)
        pos += nbytes
    aliases = {string(): string() for _ in range(unpack("I"))}
    return variables, aliases


def openai_state(variables: dict[str, np.ndarray]) -> tuple[dict[str, int], dict[str, np.ndarray]]:
    """ModelDimensions and state_dict (openai-whisper names) from CTranslate2 Whisper variables."""
    v = variables
    n_audio_layer = _count_layers(v, "encoder")
    n_text_layer = _count_layers(v, "decoder")
    state: dict[str, np.ndarray] = {
        "encoder.conv1.weight": v["encoder/conv1/weight"], "encoder.conv1.bias": v["encoder/conv1/bias"],
        "encoder.conv2.weight": v["encoder/conv2/weight"], "encoder.conv2.bias": v["encoder/conv2/bias"],
        "encoder.positional_embedding": v["encoder/position_encodings/encodings"],
        "encoder.ln_post.weight": v["encoder/layer_norm/gamma"], "encoder.ln_post.bias": v["encoder/layer_norm/beta"],
        "decoder.token_embedding.weight": v["decoder/embeddings/weight"],
        "decoder.positional_embedding": v["decoder/position_encodings/encodings"],
        "decoder.ln.weight": v["decoder/layer_norm/gamma"], "decoder.ln.bias": v["decoder/layer_norm/beta"],
    }
    for side, count in (("encoder", n_audio_layer), ("decoder", n_text_layer)):
        for i in range(count):
            src, dst = f"{side}/layer_{i}", f"{side}.blocks.{i}"
            _self_attention(state, v, f"{src}/self_attention", f"{dst}.attn", f"{dst}.attn_ln")
            if side == "decoder":
                _cross_attention(state, v, f"{src}/attention", f"{dst}.cross_attn", f"{dst}.cross_attn_ln")
            state[f"{dst}.mlp_ln.weight"] = v[f"{src}/ffn/layer_norm/gamma"]
            state[f"{dst}.mlp_ln.bias"] = v[f"{src}/ffn/layer_norm/beta"]
            state[f"{dst}.mlp.0.weight"] = v[f"{src}/ffn/linear_0/weight"]
            state[f"{dst}.mlp.0.bias"] = v[f"{src}/ffn/linear_0/bias"]
            state[f"{dst}.mlp.2.weight"] = v[f"{src}/ffn/linear_1/weight"]
            state[f"{dst}.mlp.2.bias"] = v[f"{src}/ffn/linear_1/bias"]
    conv1 = v["encoder/conv1/weight"]
    dims = {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(v["encoder/position_encodings/encodings"].shape[0]),
        "n_audio_state": int(conv1.shape[0]),
        "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer,
        "n_vocab": int(v["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(v["decoder/position_encodings/encodings"].shape[0]),
        "n_text_state": int(v["decoder/embeddings/weight"].shape[1]),
        "n_text_head": int(v["decoder/num_heads"]),
        "n_text_layer": n_text_layer,
    }
    return dims, state


def convert_to_openai(model_dir: Path, target: Path) -> Path:
    """Write an openai-whisper checkpoint (dims + model_state_dict + alignment heads) for a CT2 model folder."""
    import torch

    variables, _aliases = read_ct2(model_dir / "model.bin")
    dims, state = openai_state(variables)
    config = json.loads((model_dir / "config.json").read_text(encoding="utf-8"))
    checkpoint = {
        "dims": dims,
        "model_state_dict": {k: torch.from_numpy(np.array(a, dtype=np.float16)) for k, a in state.items()},
        "alignment_heads": config.get("alignment_heads", []),
    }
    tmp = target.with_suffix(".part")
    torch.save(checkpoint, tmp)
    tmp.replace(target)
    return target


def _self_attention(state: dict[str, np.ndarray], v: dict[str, np.ndarray], src: str, dst: str, ln: str) -> None:
    q, k, w = np.split(v[f"{src}/linear_0/weight"], 3)
    qb, _kb, wb = np.split(v[f"{src}/linear_0/bias"], 3)  # openai's key projection has no bias (CT2 stores zeros)
    state.update({f"{dst}.query.weight": q, f"{dst}.query.bias": qb, f"{dst}.key.weight": k,
                  f"{dst}.value.weight": w, f"{dst}.value.bias": wb,
                  f"{dst}.out.weight": v[f"{src}/linear_1/weight"], f"{dst}.out.bias": v[f"{src}/linear_1/bias"],
                  f"{ln}.weight": v[f"{src}/layer_norm/gamma"], f"{ln}.bias": v[f"{src}/layer_norm/beta"]})


def _cross_attention(state: dict[str, np.ndarray], v: dict[str, np.ndarray], src: str, dst: str, ln: str) -> None:
    k, w = np.split(v[f"{src}/linear_1/weight"], 2)
    _kb, wb = np.split(v[f"{src}/linear_1/bias"], 2)
    state.update({f"{dst}.query.weight": v[f"{src}/linear_0/weight"], f"{dst}.query.bias": v[f"{src}/linear_0/bias"],
                  f"{dst}.key.weight": k, f"{dst}.value.weight": w, f"{dst}.value.bias": wb,
                  f"{dst}.out.weight": v[f"{src}/linear_2/weight"], f"{dst}.out.bias": v[f"{src}/linear_2/bias"],
                  f"{ln}.weight": v[f"{src}/layer_norm/gamma"], f"{ln}.bias": v[f"{src}/layer_norm/beta"]})


def _count_layers(v: dict[str, np.ndarray], side: str) -> int:
    layer = re.compile(rf"^{side}/layer_(\d+)/")
    return len({m.group(1) for k in v if (m := layer.match(k))})
