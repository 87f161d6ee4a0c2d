import random, sys
def dfs_maze(h, w, rng, extra):
    g = [['#']*w for _ in range(h)]
    cells = [(r, c) for r in range(1, h, 2) for c in range(1, w, 2)]
    start = rng.choice(cells); stack = [start]; seen = {start}; g[start[0]][start[1]] = '.'
    while stack:
        r, c = stack[-1]
        nb = [(r+dr, c+dc, dr, dc) for dr, dc in ((2,0),(-2,0),(0,2),(0,-2)) if 0 < r+dr < h-1 and 0 < c+dc < w-1 and (r+dr, c+dc) not in seen]
        if not nb: stack.pop(); continue
        nr, nc, dr, dc = rng.choice(nb)
        g[r+dr//2][c+dc//2] = '.'; g[nr][nc] = '.'; seen.add((nr, nc)); stack.append((nr, nc))
    inner = [(r, c) for r in range(1, h-1) for c in range(1, w-1) if g[r][c] == '#' and (r % 2 == 1 or c % 2 == 1)]
    for r, c in rng.sample(inner, min(extra, len(inner))): g[r][c] = '.'
    opens = [(r, c) for r in range(h) for c in range(w) if g[r][c] == '.']
    s, t = rng.sample(opens, 2)
    g[s[0]][s[1]] = 'S'; g[t[0]][t[1]] = 'G'
    return g
rng = random.Random(int(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    g = dfs_maze(7, 7, rng, rng.choice([0, 1, 2]))
    print(7, 7, ''.join(''.join(row) for row in g))
