using Microsoft.Win32.SafeHandles;

namespace ScoutAudit.Core;

/// <summary>
/// Bytes [offset, offset + length) of an open file, read forwards at their own position: the
/// handle's file position is never used, so views of one handle do not disturb each other.
/// The handle belongs to the caller.
/// </summary>
internal sealed class FileRangeStream(SafeFileHandle file, long offset, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var left = length - _position;
        if (left <= 0) return 0;
        var read = RandomAccess.Read(file, buffer[..(int)Math.Min(buffer.Length, left)], offset + _position);
        _position += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
