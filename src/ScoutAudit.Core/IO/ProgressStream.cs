namespace ScoutAudit.Core;

/// <summary>
/// A read-only view of a file that counts what it reads (<see cref="Counted"/>: what a decompressor
/// took, for <see cref="ArchiveBounds"/>) and adds it to a <see cref="ReadProgress"/> when given one:
/// one interlocked addition per block the reader asks for (64 KiB, or the decompressor's buffer for
/// an archive), nothing per line. With <paramref name="leaveOpen"/>, disposing it leaves the file open.
/// </summary>
internal sealed class ProgressStream(Stream inner, ReadProgress? progress, bool leaveOpen = false) : ForwardOnlyStream(inner)
{
    /// <summary>The bytes counted so far.</summary>
    public long Counted { get; private set; }

    public override long Length => Inner.Length;

    public override long Position
    {
        get => Counted;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var read = Inner.Read(buffer);
        if (read > 0)
        {
            Counted += read;
            progress?.AddRead(read);
        }
        return read;
    }

    protected override void Dispose(bool disposing) => base.Dispose(disposing && !leaveOpen);
}
