namespace ScoutAudit.Core;

/// <summary>
/// When written lines are synced: one small type per <see cref="SyncMode"/>, kept apart from the
/// writer the way FASTER keeps its pluggable commit policy apart from its log. The writer appends
/// and tells the strategy each line's sequence number; the strategy has the <see cref="SyncLedger"/>
/// sync now, in the background, or not at all, and keeps whatever timers and threads that needs.
/// </summary>
internal abstract class SyncStrategy
{
    public static SyncStrategy For(SyncLedger ledger, AuditLogOptions options, string path) => options.SyncPolicy.Mode switch
    {
        SyncMode.Cadence => new CadenceSync(ledger, options, path),
        SyncMode.EveryEvent => new EveryEventSync(ledger, path),
        _ => new SyncLeftToTheSystem(),
    };

    /// <summary>Line <paramref name="sequence"/> was written. Called outside the writer's locks.</summary>
    /// <exception cref="AuditLogException">The mode syncs before the append returns, and the sync failed.</exception>
    public abstract void AfterAppend(long sequence);

    /// <summary>The writer closes: no timer of the strategy fires again. Called before the final sync.</summary>
    public virtual void StopTimers()
    {
    }

    /// <summary>The writer's final sync was made (<paramref name="failure"/> null) or failed: nobody waits any longer.</summary>
    public virtual void Finish(AuditLogException? failure)
    {
    }
}

/// <summary><see cref="SyncMode.None"/>: syncing is left to the operating system; only the writer's close syncs.</summary>
internal sealed class SyncLeftToTheSystem : SyncStrategy
{
    public override void AfterAppend(long sequence)
    {
    }
}
