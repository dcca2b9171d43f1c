"""Train a small Go network in PyTorch on gonet's training shards and hand it back to gonet.

    gonet games shards GAMES.games.zst -o shards --positions 4096 --validation-fraction 0.05
    python train_gonet.py shards -o mynet --steps 300
    gonet net info mynet.safetensors            # gonet's own file: plays, evaluates, enters tournaments
    gonet tournament submit DIR mynet.safetensors --name me

The network is one of gonet's family (docs/FORMATS.md), built by gonet_family.py beside this
file: by default a residual trunk (ReLU, or swish or hard swish with --activation), the `conv`
policy head and the `pool` value head, small enough for a 100,000-parameter budget; any other
member with --architecture JSON (the network file's architecture, e.g. a mobile trunk with mixed
depthwise filters and global pooling). --reply-weight, --score-weight and --ownership-weight
train gonet's training-only heads on the shards' targets (ownership needs `games shards
--ownership`) with docs/FORMATS.md's loss; they are not written to the file. The network is
written twice: `mynet.safetensors` in gonet's network format (tensor names as docs/FORMATS.md
gives them) and `mynet.onnx` (torch.onnx.export) for any ONNX runtime. Needs torch and numpy.
"""
import argparse
import glob
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gonet_family import ACTIVATIONS, Net, TrainingHeads, write_network  # noqa: E402


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
    p.add_argument("--architecture", help="a whole architecture as JSON (docs/FORMATS.md), instead of the above")
    p.add_argument("--reply-weight", type=float, default=0, help="the opponent's-reply head (training only)")
    p.add_argument("--score-weight", type=float, default=0, help="the score head, counted games (training only)")
    p.add_argument("--ownership-weight", type=float, default=0, help="the ownership head (shards --ownership)")
    args = p.parse_args()
    torch.manual_seed(1)
    torch.set_num_threads(2)

    architecture = json.loads(args.architecture) if args.architecture else {
        "trunk": "resnet", "blocks": args.blocks, "filters": args.filters, "policy_head": "conv",
        "policy_filters": 2, "value_head": "pool", "value_filters": 2, "value_hidden": 16}
    if args.activation != "relu":
        architecture["activation"] = args.activation
    net = Net(architecture)
    params = sum(t.numel() for n, t in net.named_parameters())
    print(f"{params} parameters ({json.dumps(architecture)})")
    weights = {"reply": args.reply_weight, "score": args.score_weight, "ownership": args.ownership_weight}
    heads = TrainingHeads(architecture["policy_filters"], architecture["value_filters"], architecture["value_hidden"])
    trained = list(net.parameters()) + (list(heads.parameters()) if any(weights.values()) else [])
    opt = torch.optim.SGD(trained, lr=args.lr, momentum=0.9, weight_decay=1e-4, nesterov=True)
    step = 0
    while step < args.steps:
        for shard in shards(args.shards, "train"):
            if args.ownership_weight and "ownership_target" not in shard:
                sys.exit(f"{args.shards}: the shards have no ownership_target (write them with --ownership)")
            n = len(shard["policy_target"])
            for start in range(0, n - args.batch + 1, args.batch):
                batch = {k: torch.from_numpy(v[start:start + args.batch].copy()) for k, v in shard.items()}
                policy, value = net(batch["planes"])
                b = len(policy)
                # docs/FORMATS.md's loss: cross-entropy + masked squared error over the batch, then
                # the training-only heads, each a sum over the positions that have its target / B.
                loss = F.cross_entropy(policy, batch["policy_target"]) + (
                    batch["value_mask"] * (value[:, 0] - batch["value_target"]) ** 2).sum() / b
                if any(weights.values()):
                    reply, score, owned = heads(net.features)
                    loss = loss + weights["reply"] * F.cross_entropy(
                        reply, batch["reply_target"], ignore_index=-1, reduction="sum") / b
                    loss = loss + weights["score"] * (
                        batch["score_mask"] * (score - batch["score_target"] / 10) ** 2).sum() / b
                    if weights["ownership"]:
                        t = batch["ownership_target"].flatten(1)
                        loss = loss + weights["ownership"] * (
                            batch["ownership_mask"][:, None] * (owned - t) ** 2).sum() / (361 * b)
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

    write_network(args.output + ".safetensors", net, {
        "name": os.path.basename(args.output), "notes": f"PyTorch, {args.steps} steps on {args.shards}"})
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
