#!/bin/bash
# A GTP engine that plays the vertices given as arguments, in order, then passes; it gives the
# dead-stone list in $DEAD (empty by default) for final_status_list.
moves=("$@")
next=0
while read -r line; do
  case "${line%% *}" in
    genmove|kgs-genmove_cleanup)
      if [ $next -lt ${#moves[@]} ]; then printf '= %s\n\n' "${moves[$next]}"; next=$((next + 1)); else printf '= pass\n\n'; fi ;;
    final_status_list) printf '= %s\n\n' "${DEAD:-}" ;;
    quit) printf '=\n\n'; exit 0 ;;
    *) printf '=\n\n' ;;
  esac
done
