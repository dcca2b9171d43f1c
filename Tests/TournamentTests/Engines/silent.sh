#!/bin/bash
# A GTP engine that never answers genmove.
while read -r line; do
  case "${line%% *}" in
    genmove) sleep 600 ;;
    quit) printf '=\n\n'; exit 0 ;;
    *) printf '=\n\n' ;;
  esac
done
