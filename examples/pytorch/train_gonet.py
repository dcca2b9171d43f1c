"""Train a small Go network in PyTorch on gonet's training shards and hand it back to gonet.

    gonet games shards GAMES.games.zst -o shards --positions 4096 --validation-fraction 0.05
    python train_gonet.py shards -o mynet --steps 300
    gonet net info mynet.safetensors            # gonet's own file: plays, evaluates, enters tournaments
    gonet tournament submit DIR mynet.safetensors --name me

The network is one of gonet's family (docs/FORMATS.md): a residual trunk (ReLU, or swish or hard
swish with --activation), the `conv` policy head and the `pool` value head, small enough for a
100,000-parameter budget. It is written twice:
`mynet.safetensors` in gonet's network format (tensor names as docs/FORMATS.md gives them) and
`mynet.onnx` (torch.onnx.export) for any ONNX runtime. Needs torch and numpy only.
"""
import argparse
import glob
import json
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_safetensors(path):
    """A safetensors file as {name: numpy array} (8-byte header length, JSON header, raw data)."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    dtypes = {"F32": np.float32, "I64": np.int64}
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        out[name] = np.frombuffer(data[start:end], dtype=dtypes[info["dtype"]]).reshape(info["shape"])
    return out


def write_safetensors(path, tensors, metadata):
    """float32 tensors and string metadata as a safetensors file."""
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array, dtype=np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


class ConvBN(nn.Module):
    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-5)

    def forward(self, x):
        return self.bn(self.conv(x))


# The trunk's activation by gonet's name for it (the heads keep ReLU); PyTorch exports SiLU as
# x·Sigmoid(x) and Hardswish as HardSwish, which gonet's importer reads as the family.
ACTIVATIONS = {"relu": F.relu, "swish": F.silu, "hard-swish": F.hardswish}


class Block(nn.Module):
    def __init__(self, f, act):
        super().__init__()
        self.act = act
        self.conv1 = nn.Conv2d(f, f, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(f)
        self.conv2 = nn.Conv2d(f, f, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(f)

    def forward(self, x):
        y = self.act(self.bn1(self.conv1(x)))
        return self.act(x + self.bn2(self.conv2(y)))


class GoNet(nn.Module):
    """gonet's resnet trunk with the conv policy head and the pool value head."""

    def __init__(self, blocks, filters, policy_filters, value_filters, value_hidden, activation="relu"):
        super().__init__()
        self.architecture = {
            "trunk": "resnet", "blocks": blocks, "filters": filters,
            "policy_head": "conv", "policy_filters": policy_filters,
            "value_head": "pool", "value_filters": value_filters, "value_hidden": value_hidden,
        }
        if activation != "relu":
            self.architecture["activation"] = activation
        self.act = ACTIVATIONS[activation]
        self.stem = ConvBN(6, filters, 3)
        self.blocks = nn.ModuleList([Block(filters, self.act) for _ in range(blocks)])
        self.policy = nn.Module()
        self.policy.conv = nn.Conv2d(filters, policy_filters, 1, bias=False)
        self.policy.bn = nn.BatchNorm2d(policy_filters)
        self.policy.out = nn.Conv2d(policy_filters, 1, 1, bias=True)
        self.policy.pass_ = nn.Linear(policy_filters, 1)
        self.value = nn.Module()
        self.value.conv = nn.Conv2d(filters, value_filters, 1, bias=False)
        self.value.bn = nn.BatchNorm2d(value_filters)
        self.value.fc1 = nn.Linear(value_filters, value_hidden)
        self.value.fc2 = nn.Linear(value_hidden, 1)

    def forward(self, planes):
        x = self.act(self.stem(planes))
        for b in self.blocks:
            x = b(x)
        h = F.relu(self.policy.bn(self.policy.conv(x)))
        board = torch.flatten(self.policy.out(h), 1)
        policy = torch.cat([board, self.policy.pass_(h.mean(dim=(2, 3)))], dim=1)
        v = F.relu(self.value.bn(self.value.conv(x))).mean(dim=(2, 3))
        value = torch.tanh(self.value.fc2(F.relu(self.value.fc1(v))))
        return policy, value

    def gonet_tensors(self):
        """The state dict under docs/FORMATS.md's names (no num_batches_tracked; pass, not pass_)."""
        return {
            name.replace("policy.pass_.", "policy.pass."): t.detach().numpy()
            for name, t in self.state_dict().items()
            if not name.endswith("num_batches_tracked")
        }


def shards(directory, split):
    for path in sorted(glob.glob(os.path.join(directory, f"{split}-*.safetensors"))):
        yield read_safetensors(path)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("shards")
    p.add_argument("-o", "--output", required=True, help="writes OUTPUT.safetensors and OUTPUT.onnx")
    p.add_argument("--steps", type=int, default=300)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.05)
    p.add_argument("--blocks", type=int, default=2)
    p.add_argument("--filters", type=int, default=24)
    p.add_argument("--activation", choices=sorted(ACTIVATIONS), default="relu", help="the trunk's activation")
    args = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(2)

    net = GoNet(
        args.blocks, args.filters, policy_filters=2, value_filters=2, value_hidden=16, activation=args.activation)
    params = sum(t.numel() for n, t in net.named_parameters())
    print(f"{params} parameters ({json.dumps(net.architecture)})")
    opt = torch.optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=1e-4, nesterov=True)
    step = 0
    while step < args.steps:
        for shard in shards(args.shards, "train"):
            n = len(shard["policy_target"])
            for start in range(0, n - args.batch + 1, args.batch):
                sl = slice(start, start + args.batch)
                planes = torch.from_numpy(shard["planes"][sl].copy())
                target = torch.from_numpy(shard["policy_target"][sl].copy())
                z = torch.from_numpy(shard["value_target"][sl].copy())
                mask = torch.from_numpy(shard["value_mask"][sl].copy())
                policy, value = net(planes)
                # docs/FORMATS.md's loss: cross-entropy + masked squared error over the batch.
                loss = F.cross_entropy(policy, target) + (mask * (value[:, 0] - z) ** 2).sum() / len(z)
                opt.zero_grad()
                loss.backward()
                opt.step()
                step += 1
                if step % 50 == 0:
                    print(f"step {step}: loss {loss.item():.3f}")
                if step == args.steps:
                    break
            if step == args.steps:
                break

    net.eval()
    correct = total = 0
    with torch.no_grad():
        for shard in shards(args.shards, "validation"):
            policy, _ = net(torch.from_numpy(shard["planes"].copy()))
            correct += int((policy.argmax(1).numpy() == shard["policy_target"]).sum())
            total += len(shard["policy_target"])
    if total:
        print(f"validation: {correct / total:.1%} of {total} moves predicted")

    meta = {
        "format": "gonet-network/1", "features": "planes6-v1",
        "architecture": json.dumps(net.architecture), "name": os.path.basename(args.output),
        "notes": f"PyTorch, {args.steps} steps on {args.shards}",
    }
    write_safetensors(args.output + ".safetensors", net.gonet_tensors(), meta)
    empty = torch.zeros(1, 6, 19, 19)
    empty[:, 2] = 1  # every point empty, Black to move
    torch.onnx.export(
        net, (empty,), args.output + ".onnx", input_names=["planes"], output_names=["policy", "value"],
        dynamic_axes={"planes": {0: "N"}, "policy": {0: "N"}, "value": {0: "N"}}, opset_version=17, dynamo=False)
    with torch.no_grad():
        policy, value = net(empty)
    print(f"wrote {args.output}.safetensors and {args.output}.onnx")
    print(f"empty board: value {value.item():+.4f}, best move index {policy.argmax().item()}, "
          f"its logit {policy.max().item():.4f}")


if __name__ == "__main__":
    main()
