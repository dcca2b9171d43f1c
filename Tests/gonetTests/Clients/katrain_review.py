"""KaTrain's own engine code reviews a game with `gonet analysis` as its engine, headless.

Usage: katrain_review.py GONET NETWORK GAME.sgf
Exits 0 when KaTrain accepted an answer for every node: win rate, score lead, candidates with
their points lost, ownership and policy; prints what failed otherwise.
"""
import os
import shlex
import sys
import tempfile
import time

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))

from katrain.core.engine import KataGoEngine  # noqa: E402
from katrain.core.game import KaTrainSGF  # noqa: E402

gonet, network, game_path = sys.argv[1:4]


class Host:
    """The part of KaTrain's application object the engine calls."""

    def __init__(self):
        self.errors = []

    def log(self, message, level=0):
        text = str(message)
        if "rror" in text or "xception" in text:
            self.errors.append(text)

    def __call__(self, *args, **kwargs):
        self.errors.append(f"popup {args}")


host = Host()
config = {
    "altcommand": f"{shlex.quote(gonet)} analysis --network {shlex.quote(network)} --threads 2",
    "max_visits": 24,
    "fast_visits": 8,
    "max_time": 30.0,
    "wide_root_noise": 0.04,
    "_enable_ownership": True,
    "allow_recovery": False,
}
engine = KataGoEngine(host, config)
root = KaTrainSGF.parse_file(game_path)
nodes = [root]
while nodes[-1].children:
    nodes.append(nodes[-1].children[0])
for node in nodes:
    node.analyze(engine)
deadline = time.time() + 300
while not all(n.analysis_complete for n in nodes) and time.time() < deadline and not host.errors:
    time.sleep(0.1)

problems = list(host.errors)
for i, node in enumerate(nodes):
    if not node.analysis_complete:
        problems.append(f"node {i}: no complete analysis")
        continue
    if not 0 <= node.winrate <= 1:
        problems.append(f"node {i}: win rate {node.winrate}")
    if node.score is None:
        problems.append(f"node {i}: no score lead")
    candidates = node.candidate_moves
    if not candidates or any("pointsLost" not in c for c in candidates):
        problems.append(f"node {i}: candidates {candidates[:2]}")
    if node.ownership is None or len(node.ownership) != 361:
        problems.append(f"node {i}: ownership of {len(node.ownership or [])} points")
    if node.policy is None or len(node.policy) != 362:
        problems.append(f"node {i}: policy of {len(node.policy or [])} moves")
    if i > 0 and node.points_lost is None:
        problems.append(f"node {i}: no points lost")
    # What KaTrain writes into a saved review (the move's comment) must build.
    node.comment(sgf=True, interactive=False)
engine.shutdown(finish=False)
if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"KaTrain reviewed {len(nodes)} nodes")
