"""Makes the PyTorch fixtures of the blocks beyond the plain family (run once; the files are committed).

    .venv-torch/bin/python Tests/GoNetworkTests/Fixtures/make_fixtures.py Tests/GoNetworkTests/Fixtures

Each network below is built by examples/pytorch/gonet_family.py, written from docs/FORMATS.md
alone as a PyTorch user would: global pooling bias, squeeze-and-excitation, swish and hard swish, 5x5 and mixed 3x3/5x5 depthwise filters, beside
both policy and both value heads. For each NAME:

- NAME.safetensors: the network file (gonet-network/1), batch-norm parameters and running
  statistics random and far from their defaults;
- NAME-forward.safetensors: eval mode, `planes` [8, 6, 19, 19], `policy` [8, 362] logits,
  `value` [8, 1];
- NAME-train.safetensors: one training step in train mode on a batch of 8: `planes`,
  `policy_target` (index 361 = pass), `value_target`, `value_mask`; the outputs `policy_logits`,
  `value_output`; `policy_loss` (mean cross-entropy), `value_loss` (sum of mask·(v − t)² over the
  batch size) and `loss` = policy_loss + 0.5 · value_loss; `grad.T` for every trainable tensor;
  `after.T` for every tensor after one SGD step (lr 0.1, momentum 0.9), batch-norm running
  statistics included (momentum 0.1, the unbiased batch variance).

PyTorch computes in float64 from weights rounded to float32, so both sides start from the same
numbers; the files hold float32.
"""
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../examples/pytorch"))
from gonet_family import Net, TrainingHeads, read_network, tensors_of, write_network, write_safetensors  # noqa: E402

def randomize(net, generator):
    """Weights at a scale that keeps activations near 1, batch norms far from their defaults."""
    with torch.no_grad():
        for name, t in net.state_dict().items():
            if name.endswith("num_batches_tracked"):
                continue
            if name.endswith("running_mean"):
                t.uniform_(-0.5, 0.5, generator=generator)
            elif name.endswith("running_var"):
                t.uniform_(0.5, 1.5, generator=generator)
            elif ".bn" in name and name.endswith(".weight"):
                t.uniform_(0.6, 1.4, generator=generator)
            elif name.endswith(".bias"):
                t.uniform_(-0.3, 0.3, generator=generator)
            else:
                fan_in = t[0].numel()
                t.normal_(0, 1 / math.sqrt(fan_in), generator=generator)
            t.copy_(t.float().double())


def planes(batch, generator):
    """Positions shaped like real ones: each point ours, theirs or empty, a last move, some
    stones in atari, and the side to move."""
    x = torch.zeros(batch, 6, 19, 19, dtype=torch.float64)
    owner = torch.randint(0, 3, (batch, 19, 19), generator=generator)
    for c in range(3):
        x[:, c] = (owner == c).double()
    for b in range(batch):
        x[b, 3, torch.randint(0, 19, (1,), generator=generator), torch.randint(0, 19, (1,), generator=generator)] = 1
        x[b, 4] = x[b, 0:2].sum(0) * (torch.rand(19, 19, generator=generator) < 0.1).double()
        x[b, 5] = float(b % 2)
    return x


def make(directory, name, architecture, seed):
    generator = torch.Generator().manual_seed(seed)
    net = Net(architecture).double()
    randomize(net, generator)
    write_network(os.path.join(directory, name + ".safetensors"), net, {
        "name": name, "notes": "PyTorch fixture: Tests/GoNetworkTests/Fixtures/make_fixtures.py"})

    x = planes(8, generator)
    net.eval()
    with torch.no_grad():
        logits, value = net(x)
    write_safetensors(os.path.join(directory, name + "-forward.safetensors"),
                      {"planes": x, "policy": logits, "value": value})

    x = planes(8, generator)
    policy_target = torch.randint(0, 362, (8,), generator=generator)
    policy_target[0] = 361
    value_target = torch.tensor([1, -1, 1, 0, -1, 1, -1, 1], dtype=torch.float64)
    value_mask = torch.tensor([1, 1, 0, 1, 1, 1, 0, 1], dtype=torch.float64)
    net.train()
    logits, value = net(x)
    policy_loss = F.cross_entropy(logits, policy_target)
    value_loss = (value_mask * (value[:, 0] - value_target) ** 2).sum() / 8
    loss = policy_loss + 0.5 * value_loss
    loss.backward()
    out = {"planes": x, "policy_target": policy_target.double(), "value_target": value_target,
           "value_mask": value_mask, "policy_logits": logits, "value_output": value,
           "policy_loss": policy_loss.reshape(1), "value_loss": value_loss.reshape(1), "loss": loss.reshape(1)}
    for n, p in net.named_parameters():
        out["grad." + n] = p.grad
    torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9).step()
    for n, t in tensors_of(net).items():
        out["after." + n] = t
    write_safetensors(os.path.join(directory, name + "-train.safetensors"), out,
                      {"policy_weight": "1.0", "value_weight": "0.5"})


def make_heads(directory, name, seed):
    """NAME-heads-train.safetensors: one training step of NAME's network with the reply and score
    heads and a soft policy target. Besides the tensors of NAME-train: `init.T` for the heads'
    starting tensors, `reply_target` (−1 where the game ended: no loss), `score_target` in
    points, `score_mask`, `ownership_target` [8, 361] (+1, −1, 0), `ownership_mask`,
    `policy_distribution` [8, 362] (taken instead of `policy_target`), and `reply_loss` = Σ
    cross-entropy over the samples with a reply / 8, `score_loss` = Σ mask · (s − t/10)² / 8,
    `ownership_loss` = Σ mask · Σ points (o − t)² / (361 · 8); `loss` = policy + 0.5 · value +
    0.7 · reply + 0.3 · score + 0.4 · ownership."""
    generator = torch.Generator().manual_seed(seed)
    net = read_network(os.path.join(directory, name + ".safetensors"))
    heads = TrainingHeads(net.a["policy_filters"], net.a["value_filters"], net.a["value_hidden"]).double()
    randomize(heads, generator)
    x = planes(8, generator)
    policy_distribution = torch.softmax(2 * torch.randn(8, 362, generator=generator, dtype=torch.float64), 1)
    value_target = torch.tensor([1, -1, 1, 0, -1, 1, -1, 1], dtype=torch.float64)
    value_mask = torch.tensor([1, 1, 0, 1, 1, 1, 0, 1], dtype=torch.float64)
    reply_target = torch.randint(0, 362, (8,), generator=generator)
    reply_target[2], reply_target[5] = -1, 361
    score_target = torch.tensor([3.5, -12.5, 0, 0.5, -40.5, 7.5, 0, 101.5], dtype=torch.float64)
    score_mask = torch.tensor([1, 1, 0, 1, 1, 1, 0, 1], dtype=torch.float64)
    ownership_target = torch.randint(-1, 2, (8, 361), generator=generator).double()
    ownership_mask = torch.tensor([1, 0, 1, 1, 0, 1, 1, 1], dtype=torch.float64)
    out = {"planes": x, "policy_target": torch.zeros(8, dtype=torch.float64),
           "policy_distribution": policy_distribution, "value_target": value_target, "value_mask": value_mask,
           "reply_target": reply_target.double(), "score_target": score_target, "score_mask": score_mask,
           "ownership_target": ownership_target, "ownership_mask": ownership_mask}
    for n, t in heads.state_dict().items():
        out["init." + n] = t.clone()
    net.train()
    logits, value = net(x)
    reply, score, owned = heads(net.features)
    policy_loss = -(policy_distribution * torch.log_softmax(logits, 1)).sum() / 8
    value_loss = (value_mask * (value[:, 0] - value_target) ** 2).sum() / 8
    reply_loss = F.cross_entropy(reply, reply_target, ignore_index=-1, reduction="sum") / 8
    score_loss = (score_mask * (score - score_target / 10) ** 2).sum() / 8
    ownership_loss = (ownership_mask[:, None] * (owned - ownership_target) ** 2).sum() / (361 * 8)
    loss = policy_loss + 0.5 * value_loss + 0.7 * reply_loss + 0.3 * score_loss + 0.4 * ownership_loss
    loss.backward()
    out.update({"policy_logits": logits, "value_output": value, "policy_loss": policy_loss.reshape(1),
                "value_loss": value_loss.reshape(1), "reply_loss": reply_loss.reshape(1),
                "score_loss": score_loss.reshape(1), "ownership_loss": ownership_loss.reshape(1),
                "loss": loss.reshape(1)})
    for n, p in list(net.named_parameters()) + list(heads.named_parameters()):
        out["grad." + n] = p.grad
    torch.optim.SGD(list(net.parameters()) + list(heads.parameters()), lr=0.1, momentum=0.9).step()
    for n, t in list(tensors_of(net).items()) + list(heads.state_dict().items()):
        out["after." + n] = t
    write_safetensors(os.path.join(directory, name + "-heads-train.safetensors"), out, {
        "policy_weight": "1.0", "value_weight": "0.5", "reply_weight": "0.7", "score_weight": "0.3",
        "ownership_weight": "0.4"})


# Every block beyond the plain family: pooled and plain blocks in one trunk, gates with and without
# a smooth activation (ReLU has its own fused path), each activation and depthwise filter side, both
# value heads. The policy heads are `conv` (the plain fixtures cover `fc`, whose 130,000 weights
# would make each file a megabyte).
NETWORKS = {
    "resnet-3x8-pool-se-swish": {
        "trunk": "resnet", "blocks": 3, "filters": 8, "policy_head": "conv", "policy_filters": 2,
        "value_head": "pool", "value_filters": 2, "value_hidden": 8, "global_pool_every": 2,
        "squeeze_excitation": 4, "activation": "swish"},
    "resnet-2x8-pool-se": {
        "trunk": "resnet", "blocks": 2, "filters": 8, "policy_head": "conv", "policy_filters": 1,
        "value_head": "fc", "value_filters": 1, "value_hidden": 8, "global_pool_every": 1,
        "squeeze_excitation": 3},
    "mobile-2x8e13-mixed-hswish": {
        "trunk": "mobile", "blocks": 2, "filters": 8, "expansion": 13, "policy_head": "conv", "policy_filters": 1,
        "value_head": "pool", "value_filters": 2, "value_hidden": 6, "global_pool_every": 1,
        "squeeze_excitation": 3, "activation": "hard-swish", "depthwise_kernel": "mixed"},
    "mobile-3x8e16-k5-se-swish": {
        "trunk": "mobile", "blocks": 3, "filters": 8, "expansion": 16, "policy_head": "conv", "policy_filters": 2,
        "value_head": "fc", "value_filters": 1, "value_hidden": 8, "global_pool_every": 3,
        "squeeze_excitation": 4, "activation": "swish", "depthwise_kernel": 5},
}

if __name__ == "__main__":
    directory = sys.argv[1]
    for i, (name, architecture) in enumerate(NETWORKS.items()):
        make(directory, name, architecture, seed=11 + i)
        print(name, sum(p.numel() for p in Net(architecture).parameters()), "parameters")
    make_heads(directory, "resnet-3x8-pool-se-swish", seed=31)
