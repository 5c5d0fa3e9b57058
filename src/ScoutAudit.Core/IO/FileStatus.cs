namespace ScoutAudit.Core;

/// <summary>What kind of file a path or handle is (Unix file types).</summary>
internal enum FileKind { Regular, Directory, SymbolicLink, Fifo, CharacterDevice, BlockDevice, Socket, Unknown }

/// <summary>A file's kind, its number of names, its owner and group, and its mode bits (permissions, sticky bit) on Unix.</summary>
internal readonly record struct FileStatus(FileKind Kind, uint Links, uint UserId, uint GroupId, UnixFileMode Mode)
{
    /// <summary>The kind as people say it: "a FIFO", "a symbolic link"...</summary>
    public string KindText => Kind switch
    {
        FileKind.Regular => "a regular file",
        FileKind.Directory => "a directory",
        FileKind.SymbolicLink => "a symbolic link",
        FileKind.Fifo => "a FIFO (named pipe)",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        _ => "a file of an unknown kind",
    };

    /// <summary>The permission bits in octal, as ls and chmod show them: "0644".</summary>
    public string ModeText => "0" + Convert.ToString((int)Mode & 0xFFF, 8).PadLeft(3, '0');
}
