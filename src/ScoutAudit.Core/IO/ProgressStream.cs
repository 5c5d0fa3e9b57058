namespace ScoutAudit.Core;

/// <summary>
/// A read-only view of a file that adds what it reads to a <see cref="ReadProgress"/>: one
/// interlocked addition per block the reader asks for (64 KiB, or the decompressor's buffer for
/// an archive), nothing per line.
/// </summary>
internal sealed class ProgressStream(Stream inner, ReadProgress progress) : Stream
{
    /// <summary>The bytes counted so far.</summary>
    public long Counted { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => Counted;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        if (read > 0)
        {
            Counted += read;
            progress.AddRead(read);
        }
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
