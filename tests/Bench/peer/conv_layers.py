"""One convolution layer at a time, PyTorch side of the bench's conv table.

Uses the timing windows of shared/reference/pytorch_bench.py (imported from the path given by
--reference) so that both sides measure the same way. One JSON line per layer and pass:
  {"layer": "32-64@16", "pass": "forward"|"train", "gflops": …, "gflops_clean": …, "clean_windows": …}
"train" is forward + backward to the input and weight (3× the forward's multiply-adds).
"""
import argparse, importlib.util, json, sys

p = argparse.ArgumentParser()
p.add_argument("--reference", required=True)
p.add_argument("--layers", required=True, help="cin-cout@size[:kernel:pad],… e.g. 3-32@32,32-32@32")
p.add_argument("--batch", type=int, default=64)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--warmup-sec", type=float, default=1.5)
p.add_argument("--window-sec", type=float, default=1.5)
p.add_argument("--windows", type=int, default=5)
args = p.parse_args()

spec = importlib.util.spec_from_file_location("pytorch_bench", args.reference)
ref = importlib.util.module_from_spec(spec)
sys.argv = [args.reference]
spec.loader.exec_module(ref)
torch = ref.torch
torch.set_num_threads(args.threads)
torch.manual_seed(0)

for layer in args.layers.split(","):
    channels, size = layer.split("@")
    cin, cout = (int(v) for v in channels.split("-"))
    parts = size.split(":")
    hw, k, pad = int(parts[0]), int(parts[1]) if len(parts) > 1 else 3, int(parts[2]) if len(parts) > 2 else 1
    conv = torch.nn.Conv2d(cin, cout, k, padding=pad)
    x = torch.randn(args.batch, cin, hw, hw)
    out = hw + 2 * pad - k + 1
    flop = 2.0 * args.batch * cout * cin * k * k * out * out

    def forward():
        with torch.no_grad():
            conv(x)

    xg = x.clone().requires_grad_(cin > 3)   # the first layer's input needs no gradient, as in training
    grad = torch.randn(args.batch, cout, out, out)

    def train():
        conv.zero_grad(set_to_none=True)
        conv(xg).backward(grad)

    for name, step, passes in (("forward", forward, 1), ("train", train, 3 if cin > 3 else 2)):
        rates, steps, others = ref.timed_windows(step, flop * passes, args.warmup_sec, args.window_sec, args.windows)
        s = ref.summarize([r / 1e9 for r in rates], others)
        print(json.dumps(dict(layer=layer, **{"pass": name}, gflops=s["median"], gflops_clean=s["clean_median"],
                              clean_windows=s["clean_windows"])), flush=True)
