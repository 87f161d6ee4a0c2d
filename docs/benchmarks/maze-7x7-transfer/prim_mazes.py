import random, sys
from collections import deque
# Randomized Prim's algorithm on the odd lattice, then knock out some walls to add loops; start/goal: random open cells >= 2 apart.
def bfs(g, s):
    d = {s: 0}; q = deque([s])
    while q:
        r, c = q.popleft()
        for nr, nc in ((r+1,c),(r-1,c),(r,c+1),(r,c-1)):
            if g[nr][nc] != '#' and (nr, nc) not in d: d[(nr, nc)] = d[(r, c)] + 1; q.append((nr, nc))
    return d
def prim(h, w, rng, loops):
    g = [['#']*w for _ in range(h)]
    s = (1 + 2*rng.randrange((h-1)//2), 1 + 2*rng.randrange((w-1)//2))
    g[s[0]][s[1]] = '.'
    frontier = []
    def add(r, c):
        for dr, dc in ((2,0),(-2,0),(0,2),(0,-2)):
            nr, nc = r+dr, c+dc
            if 0 < nr < h-1 and 0 < nc < w-1 and g[nr][nc] == '#': frontier.append((nr, nc, r+dr//2, c+dc//2))
    add(*s)
    while frontier:
        nr, nc, wr, wc = frontier.pop(rng.randrange(len(frontier)))
        if g[nr][nc] == '#':
            g[nr][nc] = '.'; g[wr][wc] = '.'; add(nr, nc)
    inner = [(r, c) for r in range(1, h-1) for c in range(1, w-1) if g[r][c] == '#' and (r % 2 == 1) != (c % 2 == 1)]
    for r, c in rng.sample(inner, min(loops, len(inner))): g[r][c] = '.'
    return g
rng = random.Random(int(sys.argv[1]))
n = int(sys.argv[2])
out = 0
while out < n:
    g = prim(7, 7, rng, rng.choice([0, 1, 2, 3]))
    opens = [(r, c) for r in range(7) for c in range(7) if g[r][c] == '.']
    s = rng.choice(opens); d = bfs(g, s)
    far = [p for p in opens if d[p] >= 2]
    if not far: continue
    t = rng.choice(far)
    g[s[0]][s[1]] = 'S'; g[t[0]][t[1]] = 'G'
    print(7, 7, ''.join(''.join(row) for row in g)); out += 1
