namespace ScoutAudit.Core;

/// <summary>Which file a path or handle refers to (device and inode, or volume and file index on Windows), and its size.</summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size)
{
    public bool SameFileAs(FileIdentity other) => Device == other.Device && Inode == other.Inode;
}
