namespace ScoutAudit.Core;

/// <summary>
/// <see cref="SyncMode.EveryEvent"/>: an append returns once a sync covers its line; concurrent
/// appends share syncs (<see cref="GroupCommit"/>), which run on the waiting writers' threads.
/// </summary>
internal sealed class EveryEventSync(SyncLedger ledger, string path) : SyncStrategy
{
    private readonly GroupCommit _groupCommit = new(() => ledger.Written, () => ledger.Synced, ledger.SyncThrough, path);

    public override void AfterAppend(long sequence) => _groupCommit.WaitFor(sequence);

    public override void Finish(AuditLogException? failure) => _groupCommit.Finish(failure);
}
