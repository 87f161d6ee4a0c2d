import random, sys
from collections import deque
def bfs(g, s):
    h, w = len(g), len(g[0]); d = {s: 0}; q = deque([s])
    while q:
        r, c = q.popleft()
        for nr, nc in ((r+1,c),(r-1,c),(r,c+1),(r,c-1)):
            if g[nr][nc] != '#' and (nr, nc) not in d: d[(nr, nc)] = d[(r, c)] + 1; q.append((nr, nc))
    return d
def maze(h, w, rng):
    while True:
        g = [['#' if r in (0, h-1) or c in (0, w-1) else '.' for c in range(w)] for r in range(h)]
        for _ in range(rng.randint(2, 6)):
            # a segment between two even points two cells apart, kept only if the walls stay connected to at most one piece
            r, c = rng.randrange(0, h, 2), rng.randrange(0, w, 2)
            dr, dc = rng.choice(((0, 2), (0, -2), (2, 0), (-2, 0)))
            r2, c2 = r + dr, c + dc
            if not (0 <= r2 < h and 0 <= c2 < w): continue
            cells = [(r + dr//2*k, c + dc//2*k) for k in range(3)]
            if all(g[a][b] == '#' for a, b in cells): continue
            old = [row[:] for row in g]
            for a, b in cells: g[a][b] = '#'
            opens = [(a, b) for a in range(h) for b in range(w) if g[a][b] == '.']
            if not opens or len(bfs(g, opens[0])) != len(opens): g = old
        opens = [(a, b) for a in range(h) for b in range(w) if g[a][b] == '.']
        if len(opens) < 4: continue
        s = rng.choice(opens); d = bfs(g, s)
        far = [p for p in opens if d[p] >= 3]
        if not far: continue
        t = rng.choice(far)
        g[s[0]][s[1]] = 'S'; g[t[0]][t[1]] = 'G'
        return g
rng = random.Random(int(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    g = maze(7, 7, rng)
    print(7, 7, ''.join(''.join(row) for row in g))
