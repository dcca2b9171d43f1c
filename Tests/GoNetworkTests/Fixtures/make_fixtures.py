"""Makes the PyTorch fixtures of the blocks beyond the plain family (run once; the files are committed).

    .venv-torch/bin/python Tests/GoNetworkTests/Fixtures/make_fixtures.py Tests/GoNetworkTests/Fixtures

Each network below is written from docs/FORMATS.md alone, as a PyTorch user would: global pooling
bias, squeeze-and-excitation, swish and hard swish, 5x5 and mixed 3x3/5x5 depthwise filters, beside
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
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

POINTS = 361
ACTIVATIONS = {"relu": F.relu, "swish": F.silu, "hard-swish": F.hardswish}


class Unit(nn.Module):
    """A convolution without bias and its batch norm."""

    def __init__(self, cin, cout, k, groups=1):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, padding=k // 2, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)


class GlobalPool(nn.Linear):
    """A dense layer of the block input's channel means, then its channel maxima (its tensors are
    `blocks.i.pool.weight` and `.bias`)."""

    def __init__(self, channels, outputs):
        super().__init__(2 * channels, outputs)

    def forward(self, x):
        pooled = torch.cat([x.mean(dim=(2, 3)), x.amax(dim=(2, 3))], dim=1)
        return super().forward(pooled)[:, :, None, None]


class Excitation(nn.Module):
    def __init__(self, channels, hidden):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(channels, hidden), nn.Linear(hidden, channels)

    def forward(self, y):
        return y * torch.sigmoid(self.fc2(F.relu(self.fc1(y.mean(dim=(2, 3))))))[:, :, None, None]


class ResBlock(nn.Module):
    def __init__(self, f, pooled, se, act):
        super().__init__()
        self.act = act
        self.conv1, self.bn1 = nn.Conv2d(f, f, 3, padding=1, bias=False), nn.BatchNorm2d(f)
        self.conv2, self.bn2 = nn.Conv2d(f, f, 3, padding=1, bias=False), nn.BatchNorm2d(f)
        self.pool = GlobalPool(f, f) if pooled else None
        self.se = Excitation(f, se) if se else None

    def forward(self, x):
        y = self.bn1(self.conv1(x))
        if self.pool is not None:
            y = y + self.pool(x)
        y = self.bn2(self.conv2(self.act(y)))
        if self.se is not None:
            y = self.se(y)
        return self.act(x + y)


class MixedDepthwise(nn.ModuleList):
    """MixConv: 3x3 filters on the first ceil(E/2) channels, 5x5 on the rest (`depthwise.0`,
    `depthwise.1`)."""

    def __init__(self, e):
        self.split = (e + 1) // 2
        super().__init__([
            nn.Conv2d(self.split, self.split, 3, padding=1, groups=self.split, bias=False),
            nn.Conv2d(e - self.split, e - self.split, 5, padding=2, groups=e - self.split, bias=False)])

    def forward(self, x):
        return torch.cat([self[0](x[:, :self.split]), self[1](x[:, self.split:])], dim=1)


class MobileBlock(nn.Module):
    def __init__(self, f, e, kernel, pooled, se, act):
        super().__init__()
        self.act = act
        self.expand, self.bn1 = nn.Conv2d(f, e, 1, bias=False), nn.BatchNorm2d(e)
        if kernel == "mixed":
            self.depthwise = MixedDepthwise(e)
        else:
            self.depthwise = nn.Conv2d(e, e, kernel, padding=kernel // 2, groups=e, bias=False)
        self.bn2 = nn.BatchNorm2d(e)
        self.project, self.bn3 = nn.Conv2d(e, f, 1, bias=False), nn.BatchNorm2d(f)
        self.pool = GlobalPool(f, e) if pooled else None
        self.se = Excitation(e, se) if se else None

    def forward(self, x):
        y = self.bn1(self.expand(x))
        if self.pool is not None:
            y = y + self.pool(x)
        y = self.act(self.bn2(self.depthwise(self.act(y))))
        if self.se is not None:
            y = self.se(y)
        return x + self.bn3(self.project(y))


class Net(nn.Module):
    def __init__(self, a):
        super().__init__()
        self.a = a
        f, act = a["filters"], ACTIVATIONS[a.get("activation", "relu")]
        self.act = act
        self.stem = Unit(6, f, 3)
        every = a.get("global_pool_every", 0)
        se = a.get("squeeze_excitation", 0)
        blocks = []
        for i in range(a["blocks"]):
            pooled = every > 0 and (i + 1) % every == 0
            if a["trunk"] == "resnet":
                blocks.append(ResBlock(f, pooled, se, act))
            else:
                blocks.append(MobileBlock(f, a["expansion"], a.get("depthwise_kernel", 3), pooled, se, act))
        self.blocks = nn.ModuleList(blocks)
        p, v, h = a["policy_filters"], a["value_filters"], a["value_hidden"]
        self.policy = Unit(f, p, 1)
        if a["policy_head"] == "fc":
            self.policy.fc = nn.Linear(POINTS * p, 362)
        else:
            self.policy.out = nn.Conv2d(p, 1, 1)
            setattr(self.policy, "pass", nn.Linear(p, 1))
        self.value = Unit(f, v, 1)
        self.value.fc1 = nn.Linear((POINTS if a["value_head"] == "fc" else 1) * v, h)
        self.value.fc2 = nn.Linear(h, 1)

    def forward(self, planes):
        x = self.act(self.stem.bn(self.stem.conv(planes)))
        for block in self.blocks:
            x = block(x)
        p = F.relu(self.policy.bn(self.policy.conv(x)))
        if self.a["policy_head"] == "fc":
            logits = self.policy.fc(p.flatten(1))
        else:
            logits = torch.cat([self.policy.out(p).flatten(1), getattr(self.policy, "pass")(p.mean(dim=(2, 3)))], 1)
        board = F.relu(self.value.bn(self.value.conv(x)))
        v = board.flatten(1) if self.a["value_head"] == "fc" else board.mean(dim=(2, 3))
        hidden = F.relu(self.value.fc1(v))
        # What the training-only heads read: the policy head's features, the value head's hidden
        # layer and its features on the board.
        self.features = (p, hidden, board)
        return logits, torch.tanh(self.value.fc2(hidden))


class TrainingHeads(nn.Module):
    """The training-only heads of gonet's checkpoints: the opponent's reply (`reply.out`, a 1x1
    convolution of the policy features to the 361 points, and `reply.pass` over their mean), the
    score (`score.fc` on the value head's hidden layer, in units of 10 points) and the final
    ownership (`ownership.out`, a 1x1 convolution of the value head's board features, tanh)."""

    def __init__(self, policy_filters, value_filters, value_hidden):
        super().__init__()
        self.reply = nn.Module()
        self.reply.out = nn.Conv2d(policy_filters, 1, 1)
        setattr(self.reply, "pass", nn.Linear(policy_filters, 1))
        self.score = nn.Module()
        self.score.fc = nn.Linear(value_hidden, 1)
        self.ownership = nn.Module()
        self.ownership.out = nn.Conv2d(value_filters, 1, 1)

    def forward(self, features):
        p, hidden, board = features
        reply = torch.cat([self.reply.out(p).flatten(1), getattr(self.reply, "pass")(p.mean(dim=(2, 3)))], 1)
        return reply, self.score.fc(hidden)[:, 0], torch.tanh(self.ownership.out(board)).flatten(1)


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


def tensors_of(net):
    """The state dict in gonet's names, without num_batches_tracked."""
    return {k: v for k, v in net.state_dict().items() if not k.endswith("num_batches_tracked")}


def write_safetensors(path, tensors, metadata=None):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().float().contiguous().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    if metadata:
        header["__metadata__"] = metadata
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def make(directory, name, architecture, seed):
    generator = torch.Generator().manual_seed(seed)
    net = Net(architecture).double()
    randomize(net, generator)
    write_safetensors(os.path.join(directory, name + ".safetensors"), tensors_of(net), {
        "format": "gonet-network/1", "features": "planes6-v1", "architecture": json.dumps(architecture),
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


def read_network(path):
    """The network of a network file, in float64."""
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    net = Net(json.loads(header.pop("__metadata__")["architecture"])).double()
    tensors = {name: torch.frombuffer(bytearray(data[e["data_offsets"][0]:e["data_offsets"][1]]), dtype=torch.float32)
               .reshape(e["shape"]).double() for name, e in header.items()}
    missing, unexpected = net.load_state_dict(tensors, strict=False)
    assert not unexpected and all(m.endswith("num_batches_tracked") for m in missing), (missing, unexpected)
    return net


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
