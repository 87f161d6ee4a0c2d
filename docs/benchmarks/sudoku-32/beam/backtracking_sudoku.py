import random, sys
# Another Sudoku generator: a full grid by randomized backtracking (digits tried in random order), then cells
# removed in random order while the puzzle keeps a unique solution, until the target number of givens.
def candidates(g, i):
    r, c = divmod(i, 9); used = set(g[r*9:(r+1)*9]) | set(g[c::9])
    br, bc = 3*(r//3), 3*(c//3)
    for rr in range(br, br+3): used |= set(g[rr*9+bc: rr*9+bc+3])
    return [d for d in range(1, 10) if d not in used]
def fill(g, rng):
    best = None
    for i in range(81):
        if g[i] == 0:
            cs = candidates(g, i)
            if best is None or len(cs) < len(best[1]): best = (i, cs)
            if not cs: return False
    if best is None: return True
    i, cs = best; rng.shuffle(cs)
    for d in cs:
        g[i] = d
        if fill(g, rng): return True
    g[i] = 0; return False
def count(g, limit=2):
    best = None
    for i in range(81):
        if g[i] == 0:
            cs = candidates(g, i)
            if not cs: return 0
            if best is None or len(cs) < len(best[1]): best = (i, cs)
    if best is None: return 1
    i, cs = best; n = 0
    for d in cs:
        g[i] = d; n += count(g, limit - n); g[i] = 0
        if n >= limit: break
    return n
rng = random.Random(int(sys.argv[1])); n = int(sys.argv[2]); target = int(sys.argv[3])
made = 0
while made < n:
    g = [0]*81; fill(g, rng); sol = g[:]
    cells = list(range(81)); rng.shuffle(cells); givens = 81
    for i in cells:
        if givens == target: break
        v = g[i]; g[i] = 0
        if count(g[:]) != 1: g[i] = v
        else: givens -= 1
    if givens != target: continue
    print(''.join(str(d) if d else '.' for d in g), ''.join(map(str, sol))); made += 1
