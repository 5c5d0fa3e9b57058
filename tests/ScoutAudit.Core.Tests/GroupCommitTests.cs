using ScoutAudit.Core;

namespace ScoutAudit.Core.Tests;

/// <summary>
/// The group commit on its own, with a sync that only records what it covered: what an appender
/// may rely on when <see cref="GroupCommit.WaitFor"/> returns, and what a failed sync does.
/// </summary>
public sealed class GroupCommitTests
{
    /// <summary>A stand-in for the file: lines are counted when written, and a sync marks everything up to its target as synced.</summary>
    private sealed class FakeFile
    {
        private long _written;
        private long _synced;
        public readonly List<long> Syncs = [];
        public Func<long, Exception?> Fail = _ => null;

        public long Written => Volatile.Read(ref _written);
        public long Synced => Volatile.Read(ref _synced);
        public long Write() => Interlocked.Increment(ref _written);

        public void Sync(long through)
        {
            Thread.Sleep(1); // a slow disk: lines of other writers pile up meanwhile
            lock (Syncs) Syncs.Add(through);
            if (Fail(through) is { } error) throw new AuditLogException("audit.jsonl", error.Message, error);
            Volatile.Write(ref _synced, through);
        }

        public GroupCommit Commit() => new(() => Written, () => Synced, Sync, "audit.jsonl");
    }

    [Fact]
    public void EachWaiterReturnsOnlyAfterASyncThatCoversItsLine()
    {
        var file = new FakeFile();
        var commit = file.Commit();
        var early = 0;
        var writers = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var sequence = file.Write();
                commit.WaitFor(sequence);
                if (file.Synced < sequence) Interlocked.Increment(ref early);
            }
        })).ToList();
        writers.ForEach(w => w.Start());
        writers.ForEach(w => w.Join());

        Assert.Equal(0, early);
        Assert.Equal(800, file.Synced);
        // One sync covered the lines of several writers: far fewer syncs than lines.
        Assert.True(file.Syncs.Count < 800, $"{file.Syncs.Count} syncs for 800 lines");
        // A sync covers only lines written before it started, and each target is new.
        Assert.Equal(file.Syncs.Order(), file.Syncs);
        Assert.Equal(file.Syncs.Count, file.Syncs.Distinct().Count());
    }

    [Fact]
    public void ALoneWriterGetsOneSyncPerLineAndNoWaitForABatch()
    {
        var file = new FakeFile();
        var commit = file.Commit();
        for (var i = 0; i < 50; i++) commit.WaitFor(file.Write());
        Assert.Equal(Enumerable.Range(1, 50).Select(n => (long)n), file.Syncs);
    }

    [Fact]
    public void AFailedSyncFailsTheWaitersItCoveredAndTheNextSyncServesTheRest()
    {
        var file = new FakeFile { Fail = through => through == 2 ? new IOException("EIO") : null };
        var commit = file.Commit();
        commit.WaitFor(file.Write());

        var error = Assert.Throws<AuditLogException>(() => commit.WaitFor(file.Write()));
        Assert.Equal("The event was written to 'audit.jsonl' but could not be synced: EIO", error.Message);

        commit.WaitFor(file.Write());
        Assert.Equal(3, file.Synced);
        Assert.Equal([1L, 2L, 3L], file.Syncs);
    }

    [Fact]
    public void ALineWhoseSyncFailedStaysFailedAfterALaterSyncSucceeds()
    {
        // After a failed fsync the kernel may have dropped the pages it could not write; a later
        // fsync that succeeds does not bring them back, so it must not vouch for those lines.
        var file = new FakeFile { Fail = through => through == 2 ? new IOException("EIO") : null };
        var commit = file.Commit();
        var first = file.Write();
        var second = file.Write();
        Assert.Throws<AuditLogException>(() => commit.WaitFor(second)); // one sync for both, failed

        commit.WaitFor(file.Write()); // the next sync succeeds and marks everything written as synced
        Assert.Equal(3, file.Synced);

        var error = Assert.Throws<AuditLogException>(() => commit.WaitFor(first));
        Assert.Equal("The event was written to 'audit.jsonl' but could not be synced: EIO", error.Message);
    }

    [Fact]
    public void AWaiterLeftByAClosingWriterIsFailedByAFailedFinalSync()
    {
        // The writer closed (its syncs no longer reach the disk) and its final sync failed.
        var file = new FakeFile { Fail = _ => new IOException("closed") };
        var commit = file.Commit();
        commit.Finish(new AuditLogException("audit.jsonl", "the final sync failed"));

        var error = Assert.Throws<AuditLogException>(() => commit.WaitFor(file.Write()));
        Assert.Equal("The event was written to 'audit.jsonl' but could not be synced: the final sync failed", error.Message);
    }

    [Fact]
    public void ALoneWriterSyncsOnItsOwnThread()
    {
        var file = new FakeFile();
        var commit = file.Commit();
        var syncThreads = new List<int>();
        var inner = file.Fail;
        file.Fail = through =>
        {
            syncThreads.Add(Environment.CurrentManagedThreadId);
            return inner(through);
        };
        for (var i = 0; i < 5; i++) commit.WaitFor(file.Write());
        Assert.All(syncThreads, id => Assert.Equal(Environment.CurrentManagedThreadId, id));
        Assert.Equal(5, syncThreads.Count);
    }
}
