// Giving the whole pages inside a byte range back to the OS (madvise MADV_DONTNEED): used after
// a checkpoint tensor is copied out of its file mapping (SafeTensorsFile) and after an FP32
// weight is packed to a reduced precision (ParameterBuffer.releaseStorage). Partial pages at
// either end stay resident: they hold neighbouring data. A dropped page of private anonymous
// memory reads as zeros afterwards; a dropped page of a file mapping reads the file again.
#if canImport(Glibc)
import Glibc
#endif

public enum ResidentPages {
    /// Drops the whole pages inside [start, start + byteCount) from resident memory and returns
    /// the bytes dropped (0 when the range holds no whole page or the system refuses).
    @discardableResult
    public static func drop(_ start: UnsafeRawPointer, byteCount: Int) -> Int {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard page > 0, byteCount > 0 else { return 0 }
        let first = (Int(bitPattern: start) + page - 1) / page * page
        let end = (Int(bitPattern: start) + byteCount) / page * page
        guard end > first, let p = UnsafeMutableRawPointer(bitPattern: first) else { return 0 }
        return madvise(p, end - first, MADV_DONTNEED) == 0 ? end - first : 0
    }
}
