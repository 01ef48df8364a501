"""Writes the PyTorch reference fixtures that tests/CourseKit.Tests/PyTorchParity compares CourseKit against.

Run from anywhere:  /usr/bin/python3 generate_fixtures.py
Every case is one JSON file in this folder:
  {"case": name, "kind": "conv2d" | "maxpool2d" | ..., "config": {hyper-parameters},
   "tensors": {"input": T, "weight": T, ..., "output": T, "grad_output": T, "grad_input": T, "grad_weight": T, ...}}
with T = {"shape": [...], "data": [... row-major floats ...]}.
Optimiser cases instead hold "initial" parameters and a list of "steps", each with the fixed
gradients given to the optimiser and the parameters after the step.
The script is deterministic (fixed seeds, float32, single thread), so re-running it reproduces the files.
"""

import json
import os

import torch
import torch.nn as nn

torch.set_num_threads(1)
torch.set_default_dtype(torch.float32)

HERE = os.path.dirname(os.path.abspath(__file__))


# ------------------------------------------------------------------ output helpers

def t(x):
    """A tensor as {"shape", "data"}; '%.9g' round-trips every float32 exactly."""
    x = x.detach().to(torch.float32).contiguous()
    return {"shape": list(x.shape), "data": [float("%.9g" % v) for v in x.reshape(-1).tolist()]}


def write(case, kind, config, tensors=None, **extra):
    doc = {"case": case, "kind": kind, "torch_version": torch.__version__, "config": config}
    if tensors is not None:
        doc["tensors"] = {k: t(v) for k, v in tensors.items()}
    doc.update(extra)
    with open(os.path.join(HERE, case + ".json"), "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")


def seed(n):
    torch.manual_seed(n)


def distinct(*shape):
    """Values that are all different (a shuffled ramp with random jitter), so max windows have no ties."""
    n = 1
    for s in shape:
        n *= s
    ramp = torch.randperm(n).to(torch.float32) / n * 4 - 2
    return (ramp + torch.rand(n) * 0.5 / n).reshape(shape)


def run_module(module, x, extra_grads=()):
    """Forward + backward with a random upstream gradient; returns the tensors every layer fixture records."""
    x = x.clone().requires_grad_(True)
    y = module(x)
    g = torch.randn_like(y)
    y.backward(g)
    out = {"input": x, "output": y, "grad_output": g, "grad_input": x.grad}
    for name, p in module.named_parameters():
        out[name] = p
        out["grad_" + name] = p.grad
    return out


# ------------------------------------------------------------------ Conv2d

def conv2d_cases():
    cases = [
        # name, C_in, C_out, kernel, stride, padding, dilation, bias, (H, W)
        ("conv2d_k3_stride1_pad0_dil1", 3, 4, 3, 1, 0, 1, True, (7, 6)),
        ("conv2d_k3_stride2_pad1_dil1", 3, 4, 3, 2, 1, 1, True, (7, 9)),
        ("conv2d_k3_stride1_same_dil1", 3, 4, 3, 1, "same", 1, True, (5, 7)),
        ("conv2d_k3_stride1_pad2_dil2", 3, 4, 3, 1, 2, 2, True, (7, 7)),
        ("conv2d_k3_stride2_pad0_dil2_nobias", 3, 4, 3, 2, 0, 2, False, (9, 8)),
        ("conv2d_k2x3_stride1_pad0_dil1_nobias", 3, 4, (2, 3), 1, 0, 1, False, (5, 6)),
        ("conv2d_k3x1_stride2x1_pad1x0_dil1", 3, 4, (3, 1), (2, 1), (1, 0), 1, True, (7, 5)),
        ("conv2d_k5_stride1_same_dil1", 3, 4, 5, 1, "same", 1, True, (6, 5)),
        ("conv2d_k1_stride1_pad0_dil1", 3, 4, 1, 1, 0, 1, True, (3, 5)),
    ]
    for i, (name, cin, cout, k, s, p, d, bias, (h, w)) in enumerate(cases):
        seed(100 + i)
        conv = nn.Conv2d(cin, cout, k, stride=s, padding=p, dilation=d, bias=bias)
        x = torch.randn(2, cin, h, w)
        config = {
            "in_channels": cin, "out_channels": cout,
            "kernel_size": list(conv.kernel_size), "stride": list(conv.stride),
            "padding": p if p == "same" else list(conv.padding),
            "dilation": list(conv.dilation), "bias": bias,
        }
        write(name, "conv2d", config, run_module(conv, x))


# ------------------------------------------------------------------ pools

def pool_cases():
    maxpools = [
        ("maxpool2d_k2_stride2_pad0", 2, 2, 0, (6, 6)),
        ("maxpool2d_k2_stride2_pad0_odd", 2, 2, 0, (7, 5)),
        ("maxpool2d_k3_stride2_pad1", 3, 2, 1, (7, 7)),
        ("maxpool2d_k3_stride1_pad0", 3, 1, 0, (5, 6)),
    ]
    for i, (name, k, s, p, (h, w)) in enumerate(maxpools):
        seed(200 + i)
        pool = nn.MaxPool2d(k, stride=s, padding=p)
        write(name, "maxpool2d", {"kernel_size": k, "stride": s, "padding": p},
              run_module(pool, distinct(2, 3, h, w)))

    avgpools = [
        ("avgpool2d_k2_stride2_pad0", 2, 2, 0, (6, 6)),
        ("avgpool2d_k3_stride2_pad1", 3, 2, 1, (7, 7)),
        ("avgpool2d_k3_stride1_pad1", 3, 1, 1, (5, 4)),
    ]
    for i, (name, k, s, p, (h, w)) in enumerate(avgpools):
        seed(220 + i)
        pool = nn.AvgPool2d(k, stride=s, padding=p)  # count_include_pad=True (PyTorch's default)
        write(name, "avgpool2d", {"kernel_size": k, "stride": s, "padding": p, "count_include_pad": True},
              run_module(pool, torch.randn(2, 3, h, w)))

    adaptives = [
        ("adaptiveavgpool2d_7x5_to_3x2", (7, 5), (3, 2)),
        ("adaptiveavgpool2d_6x6_to_1x1", (6, 6), (1, 1)),
        ("adaptiveavgpool2d_5x7_to_5x7", (5, 7), (5, 7)),
    ]
    for i, (name, (h, w), out) in enumerate(adaptives):
        seed(240 + i)
        pool = nn.AdaptiveAvgPool2d(out)
        write(name, "adaptiveavgpool2d", {"output_size": list(out)},
              run_module(pool, torch.randn(2, 3, h, w)))


# ------------------------------------------------------------------ BatchNorm

def batchnorm_cases():
    for i, (name, cls, shape) in enumerate([
        ("batchnorm2d_train", nn.BatchNorm2d, (4, 3, 3, 2)),
        ("batchnorm1d_train", nn.BatchNorm1d, (6, 4)),
        ("batchnorm1d_train_3d", nn.BatchNorm1d, (3, 4, 5)),
    ]):
        seed(300 + i)
        c = shape[1]
        bn = cls(c, eps=1e-5, momentum=0.1)
        with torch.no_grad():
            bn.weight.copy_(torch.rand(c) + 0.5)
            bn.bias.copy_(torch.randn(c))
            bn.running_mean.copy_(torch.randn(c))
            bn.running_var.copy_(torch.rand(c) + 0.5)
        before = {"running_mean_before": bn.running_mean.clone(), "running_var_before": bn.running_var.clone()}
        bn.train()
        tensors = run_module(bn, torch.randn(*shape) * 2 + 1)
        tensors.update(before)
        tensors["running_mean_after"] = bn.running_mean
        tensors["running_var_after"] = bn.running_var
        write(name, "batchnorm", {"num_features": c, "eps": 1e-5, "momentum": 0.1, "training": True}, tensors)

    for i, (name, cls, shape) in enumerate([
        ("batchnorm2d_eval", nn.BatchNorm2d, (2, 3, 4, 3)),
        ("batchnorm1d_eval", nn.BatchNorm1d, (5, 4)),
    ]):
        seed(320 + i)
        c = shape[1]
        bn = cls(c, eps=1e-5, momentum=0.1)
        with torch.no_grad():
            bn.weight.copy_(torch.rand(c) + 0.5)
            bn.bias.copy_(torch.randn(c))
            bn.running_mean.copy_(torch.randn(c))
            bn.running_var.copy_(torch.rand(c) + 0.5)
        bn.eval()
        tensors = run_module(bn, torch.randn(*shape))
        tensors["running_mean_before"] = bn.running_mean
        tensors["running_var_before"] = bn.running_var
        write(name, "batchnorm", {"num_features": c, "eps": 1e-5, "momentum": 0.1, "training": False}, tensors)


# ------------------------------------------------------------------ Dropout, Linear, activations

def misc_layer_cases():
    seed(400)
    drop = nn.Dropout(p=0.5).eval()
    write("dropout_eval", "dropout", {"p": 0.5, "training": False}, run_module(drop, torch.randn(3, 4, 2)))

    for i, (name, bias) in enumerate([("linear", True), ("linear_nobias", False)]):
        seed(410 + i)
        lin = nn.Linear(5, 3, bias=bias)
        write(name, "linear", {"in_features": 5, "out_features": 3, "bias": bias}, run_module(lin, torch.randn(4, 5)))

    activations = [
        ("relu", nn.ReLU(), {}),
        ("leakyrelu", nn.LeakyReLU(0.1), {"negative_slope": 0.1}),
        ("elu", nn.ELU(alpha=1.0), {"alpha": 1.0}),
        ("sigmoid", nn.Sigmoid(), {}),
        ("tanh", nn.Tanh(), {}),
        ("softmax", nn.Softmax(dim=1), {"dim": 1}),
        ("logsoftmax", nn.LogSoftmax(dim=1), {"dim": 1}),
    ]
    for i, (name, module, config) in enumerate(activations):
        seed(420 + i)
        x = torch.randn(4, 6) * 2
        x[x.abs() < 0.05] += 0.2  # keep away from the kink at 0
        config = dict(config, function=name)
        write("activation_" + name, "activation", config, run_module(module, x))

    for i, (name, num) in enumerate([("prelu_shared", 1), ("prelu_per_channel", 3)]):
        seed(440 + i)
        prelu = nn.PReLU(num_parameters=num)
        with torch.no_grad():
            prelu.weight.copy_(torch.rand(num) * 0.5)
        x = torch.randn(2, 3, 4, 3)
        x[x.abs() < 0.05] += 0.2
        write(name, "prelu", {"num_parameters": num}, run_module(prelu, x))


# ------------------------------------------------------------------ losses

def loss_cases():
    def loss_fixture(name, loss, x, target, config):
        x = x.clone().requires_grad_(True)
        y = loss(x, target)
        g = torch.tensor(0.75)  # a non-trivial upstream gradient for the scalar loss
        y.backward(g)
        write(name, "loss", config, {"input": x, "target": target.to(torch.float32), "output": y,
                                     "grad_output": g, "grad_input": x.grad})

    seed(500)
    logits, classes = torch.randn(5, 4) * 2, torch.randint(0, 4, (5,))
    loss_fixture("crossentropyloss_mean", nn.CrossEntropyLoss(reduction="mean"), logits, classes,
                 {"loss": "cross_entropy", "reduction": "mean"})
    loss_fixture("crossentropyloss_sum", nn.CrossEntropyLoss(reduction="sum"), logits, classes,
                 {"loss": "cross_entropy", "reduction": "sum"})

    seed(501)
    log_probs, classes = torch.log_softmax(torch.randn(6, 3), dim=1), torch.randint(0, 3, (6,))
    loss_fixture("nllloss_mean", nn.NLLLoss(reduction="mean"), log_probs, classes,
                 {"loss": "nll", "reduction": "mean"})
    loss_fixture("nllloss_sum", nn.NLLLoss(reduction="sum"), log_probs, classes,
                 {"loss": "nll", "reduction": "sum"})

    seed(502)
    prediction, target = torch.randn(4, 3), torch.randn(4, 3)
    loss_fixture("mseloss_mean", nn.MSELoss(reduction="mean"), prediction, target, {"loss": "mse", "reduction": "mean"})
    loss_fixture("mseloss_sum", nn.MSELoss(reduction="sum"), prediction, target, {"loss": "mse", "reduction": "sum"})


# ------------------------------------------------------------------ optimisers

def optimiser_cases():
    def steps_fixture(name, make_optimiser, config, case_seed):
        seed(case_seed)
        model = nn.Linear(4, 3)
        optimiser = make_optimiser(model.parameters())
        initial = {n: t(p) for n, p in model.named_parameters()}
        steps = []
        for _ in range(3):
            grads = {}
            for n, p in model.named_parameters():
                p.grad = torch.randn_like(p)
                grads[n] = t(p.grad)
            optimiser.step()
            steps.append({"grads": grads, "after": {n: t(p) for n, p in model.named_parameters()}})
        write(name, "optimiser", config, initial=initial, steps=steps)

    for i, nesterov in enumerate([False, True]):
        config = {"optimizer": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.01,
                  "nesterov": nesterov}
        steps_fixture("sgd_momentum_nesterov" if nesterov else "sgd_momentum",
                      lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.0, weight_decay=0.01,
                                                 nesterov=nesterov),
                      config, 600 + i)
    steps_fixture("sgd_plain", lambda ps: torch.optim.SGD(ps, lr=0.1),
                  {"optimizer": "sgd", "lr": 0.1, "momentum": 0.0, "dampening": 0.0, "weight_decay": 0.0,
                   "nesterov": False}, 602)

    for i, wd in enumerate([0.0, 0.1]):
        config = {"optimizer": "adam", "lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": wd}
        steps_fixture("adam_weight_decay" if wd else "adam",
                      lambda ps: torch.optim.Adam(ps, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd),
                      config, 610 + i)


if __name__ == "__main__":
    for old in os.listdir(HERE):
        if old.endswith(".json"):
            os.remove(os.path.join(HERE, old))
    conv2d_cases()
    pool_cases()
    batchnorm_cases()
    misc_layer_cases()
    loss_cases()
    optimiser_cases()
    files = sorted(f for f in os.listdir(HERE) if f.endswith(".json"))
    size = sum(os.path.getsize(os.path.join(HERE, f)) for f in files)
    print(f"wrote {len(files)} fixtures ({size / 1024:.0f} KiB) with torch {torch.__version__}")
