namespace ScoutAudit.Core;

/// <summary>
/// A summarised block of the active file (<see cref="TimeBlocks"/>): its bytes, its line count, the
/// time span of its events (UTC ticks; <see cref="long.MaxValue"/> and <see cref="long.MinValue"/>
/// when it has none), whether every line is an event with the original's header, and the bytes it
/// ends with.
/// </summary>
internal sealed record TimeBlock(long Offset, long Length, long Lines, long MinTicks, long MaxTicks, bool Clean, byte[] Tail)
{
    public long End => Offset + Length;

    /// <summary>Whether a query of the window must read the block: it may hold one of its events, or a line to report.</summary>
    public bool IsNeeded(long since, long until) => !Clean || (MaxTicks >= since && MinTicks < until);

    /// <summary>Whether <paramref name="other"/> says the same of the block's lines: count, time span and cleanliness.</summary>
    public bool SaysTheSameAs(TimeBlock other) =>
        Lines == other.Lines && MinTicks == other.MinTicks && MaxTicks == other.MaxTicks && Clean == other.Clean;
}
