using Microsoft.Win32.SafeHandles;

namespace Cairn.Platform.Internal;

/// <summary>Keeps a handle from being closed while its raw descriptor is in use.</summary>
internal ref struct DescriptorLease
{
    private readonly SafeFileHandle _handle;
    private readonly bool _added;

    public DescriptorLease(SafeFileHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        _handle = handle;
        handle.DangerousAddRef(ref _added);
        Descriptor = (int)handle.DangerousGetHandle();
    }

    public int Descriptor { get; }

    public readonly void Dispose()
    {
        if (_added)
        {
            _handle.DangerousRelease();
        }
    }
}
