"""Writes pytorch_written.safetensors by hand (struct + json, as the safetensors package does) from PyTorch
tensors, so SafeTensorsTests can check that CourseKit reads files written outside CourseKit. Run with
/usr/bin/python3 (Debian's python3-torch); the tests need only the committed output file."""
import json
import struct

import torch

tensors = {
    "conv.weight": torch.arange(24, dtype=torch.float32).reshape(2, 3, 2, 2) / 8 - 1,   # F32
    "conv.bias": torch.tensor([0.5, -0.25], dtype=torch.float16),                        # F16
    "fc.weight": torch.tensor([[1.5, -2.0, 3.0]], dtype=torch.bfloat16),                  # BF16
    "bn.num_batches_tracked": torch.tensor(7, dtype=torch.int64),                         # I64, shape ()
}
dtype_names = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.int64: "I64"}

header, blobs, offset = {"__metadata__": {"format": "pt", "writer": "PyTorch " + torch.__version__}}, [], 0
for name in sorted(tensors):
    t = tensors[name].contiguous()
    raw = t.view(torch.int16).numpy().tobytes() if t.dtype == torch.bfloat16 else t.numpy().tobytes()
    header[name] = {"dtype": dtype_names[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
    blobs.append(raw)
    offset += len(raw)
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open("pytorch_written.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))
print(f"wrote pytorch_written.safetensors ({8 + len(text) + offset} bytes)")
