//go:build linux

package store

import "syscall"

// errNoSpace is what adding a watch gives when the system has no more.
var errNoSpace error = syscall.ENOSPC

// notifyBlind names the file system of dir when it is one whose changes
// made on other machines are never reported (network and FUSE file
// systems), or gives "".
func notifyBlind(dir string) string {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return ""
	}
	switch uint32(st.Type) {
	case 0x6969:
		return "NFS"
	case 0x517b, 0xfe534d42, 0xff534d42:
		return "SMB"
	case 0x65735546:
		return "a FUSE file system"
	case 0x01021997:
		return "9p"
	case 0x786f4256:
		return "a VirtualBox shared folder"
	case 0x5346414f, 0x6b414653:
		return "AFS"
	case 0x73757245:
		return "Coda"
	case 0x00c36400:
		return "Ceph"
	case 0x0bd00bd0:
		return "Lustre"
	case 0x01161970:
		return "GFS2"
	case 0x7461636f:
		return "OCFS2"
	}
	return ""
}
