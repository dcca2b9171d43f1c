#!/bin/bash
# A GTP engine that thinks $DELAY seconds (default 1) per move and then passes: a game between two
# of them lasts two moves and about 2·DELAY seconds, long enough to kill a worker in mid-game.
while read -r line; do
  case "${line%% *}" in
    genmove) sleep "${DELAY:-1}"; printf '= pass\n\n' ;;
    quit) printf '=\n\n'; exit 0 ;;
    *) printf '=\n\n' ;;
  esac
done
