"""The disk's own ceiling for group commit, for docs/benchmarks.md: N threads each append a line and
wait until an fsync that started after their write has completed; one dedicated flusher keeps an
fsync in flight whenever lines are waiting (the ideal batching). Prints events/s for 1, 4, 8, 16 threads.

usage: python3 tests/ScoutAudit.Benchmarks/group_commit_ceiling.py [directory]
"""
import os, sys, threading, time


def run(threads, n=4000):
    p=os.path.join(sys.argv[1] if len(sys.argv) > 1 else '/tmp', 'group-commit-ceiling.txt')
    if os.path.exists(p): os.remove(p)
    fd=os.open(p, os.O_WRONLY|os.O_CREAT|os.O_APPEND)
    cond=threading.Condition(); state={'written':0,'synced':0,'stop':False}
    def flusher():
        while True:
            with cond:
                while state['written']==state['synced'] and not state['stop']: cond.wait()
                if state['stop'] and state['written']==state['synced']: return
                target=state['written']
            os.fsync(fd)
            with cond:
                state['synced']=target; cond.notify_all()
    def worker(k):
        for i in range(n//threads):
            with cond:
                os.write(fd, b'x'*237+b'\n'); state['written']+=1; seq=state['written']; cond.notify_all()
                while state['synced']<seq: cond.wait()
    f=threading.Thread(target=flusher); f.start()
    ts=[threading.Thread(target=worker,args=(k,)) for k in range(threads)]
    t=time.perf_counter(); [x.start() for x in ts]; [x.join() for x in ts]
    el=time.perf_counter()-t
    with cond: state['stop']=True; cond.notify_all()
    f.join()
    return n/el
for th in (1,4,8,16):
    print(th, 'threads', int(run(th)), 'events/s')
