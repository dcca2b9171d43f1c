"""gonet's network family in PyTorch, written from docs/FORMATS.md: every trunk, block and head a
gonet network file can hold (resnet and mobile trunks; global pooling bias; squeeze-and-excitation;
ReLU, swish, hard swish; 3x3, 5x5 and mixed depthwise filters; fc and conv policy heads; fc and
pool value heads) and the training-only heads of gonet's checkpoints, with the tensor names of
gonet's files, so that

    net = Net(architecture)            # the architecture JSON of docs/FORMATS.md, as a dict
    write_network("mine.safetensors", net)

gives a file `gonet net info`, `gonet gtp` and `gonet tournament submit` take. Needs torch only.
"""
import json
import struct

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
        self.sizes = [self.split, e - self.split]
        super().__init__([
            nn.Conv2d(self.split, self.split, 3, padding=1, groups=self.split, bias=False),
            nn.Conv2d(e - self.split, e - self.split, 5, padding=2, groups=e - self.split, bias=False)])

    def forward(self, x):
        # torch.split exports as ONNX Split, which `gonet net import` reads as this family's MixConv.
        three, five = torch.split(x, self.sizes, dim=1)
        return torch.cat([self[0](three), self[1](five)], dim=1)


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


def write_network(path, net, metadata=None):
    """`net` as a gonet network file (gonet-network/1), metadata strings added."""
    write_safetensors(path, tensors_of(net), {
        "format": "gonet-network/1", "features": "planes6-v1", "architecture": json.dumps(net.a), **(metadata or {})})


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
