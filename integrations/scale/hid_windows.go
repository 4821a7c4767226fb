package scale

import (
	"fmt"
	"os"
	"sort"
	"unsafe"

	"golang.org/x/sys/windows"
)

// Windows shows each HID top-level collection as a device interface of
// the HID class; hid.dll tells its usage page (the Scale page, 0x8D, for
// a scale) from the parsed report descriptor (hidsdi.h, hidpi.h). These
// are the calls hidapi makes, made here without C.
var (
	hidDLL                    = windows.NewLazySystemDLL("hid.dll")
	procHidDGetHidGuid        = hidDLL.NewProc("HidD_GetHidGuid")
	procHidDGetPreparsedData  = hidDLL.NewProc("HidD_GetPreparsedData")
	procHidDFreePreparsedData = hidDLL.NewProc("HidD_FreePreparsedData")
	procHidPGetCaps           = hidDLL.NewProc("HidP_GetCaps")

	setupDLL                             = windows.NewLazySystemDLL("setupapi.dll")
	procSetupDiEnumDeviceInterfaces      = setupDLL.NewProc("SetupDiEnumDeviceInterfaces")
	procSetupDiGetDeviceInterfaceDetailW = setupDLL.NewProc("SetupDiGetDeviceInterfaceDetailW")
)

// spDeviceInterfaceData is SP_DEVICE_INTERFACE_DATA (setupapi.h).
type spDeviceInterfaceData struct {
	size     uint32
	class    windows.GUID
	flags    uint32
	reserved uintptr
}

// hidpCaps is HIDP_CAPS (hidpi.h).
type hidpCaps struct {
	Usage                     uint16
	UsagePage                 uint16
	InputReportByteLength     uint16
	OutputReportByteLength    uint16
	FeatureReportByteLength   uint16
	Reserved                  [17]uint16
	NumberLinkCollectionNodes uint16
	NumberInputButtonCaps     uint16
	NumberInputValueCaps      uint16
	NumberInputDataIndices    uint16
	NumberOutputButtonCaps    uint16
	NumberOutputValueCaps     uint16
	NumberOutputDataIndices   uint16
	NumberFeatureButtonCaps   uint16
	NumberFeatureValueCaps    uint16
	NumberFeatureDataIndices  uint16
}

// hidpStatusSuccess is HIDP_STATUS_SUCCESS.
const hidpStatusSuccess = 0x00110000

// scaleUsagePage is the HID usage page of scales (HID POS).
const scaleUsagePage = 0x8d

// HIDScales lists the HID interfaces whose top-level collection is on the
// Scale usage page, as device paths OpenHID takes.
func HIDScales() ([]string, error) {
	if err := hidDLL.Load(); err != nil {
		return nil, fmt.Errorf("USB scales: %w", err)
	}
	paths, err := hidInterfaces()
	if err != nil {
		return nil, fmt.Errorf("listing USB devices: %w", err)
	}
	var out []string
	for _, p := range paths {
		if caps, err := hidCaps(p); err == nil && caps.UsagePage == scaleUsagePage {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out, nil
}

// hidInterfaces lists the paths of the HID interfaces present, through
// the setup API as hidapi does (the configuration manager's list, newer,
// is missing from Wine).
func hidInterfaces() ([]string, error) {
	var class windows.GUID
	procHidDGetHidGuid.Call(uintptr(unsafe.Pointer(&class)))
	devs, err := windows.SetupDiGetClassDevsEx(&class, "", 0, windows.DIGCF_PRESENT|windows.DIGCF_DEVICEINTERFACE, 0, "")
	if err != nil {
		return nil, err
	}
	defer devs.Close()
	var paths []string
	for i := uintptr(0); ; i++ {
		iface := spDeviceInterfaceData{size: uint32(unsafe.Sizeof(spDeviceInterfaceData{}))}
		ok, _, err := procSetupDiEnumDeviceInterfaces.Call(uintptr(devs), 0, uintptr(unsafe.Pointer(&class)), i, uintptr(unsafe.Pointer(&iface)))
		if ok == 0 {
			if err == windows.ERROR_NO_MORE_ITEMS {
				return paths, nil
			}
			return nil, fmt.Errorf("SetupDiEnumDeviceInterfaces: %w", err)
		}
		// SP_DEVICE_INTERFACE_DETAIL_DATA_W: its size field (8 on 64-bit
		// Windows), then the path; asked for once to learn its length.
		var need uint32
		procSetupDiGetDeviceInterfaceDetailW.Call(uintptr(devs), uintptr(unsafe.Pointer(&iface)), 0, 0, uintptr(unsafe.Pointer(&need)), 0)
		if need < 8 {
			continue
		}
		detail := make([]uint16, (need+1)/2)
		*(*uint32)(unsafe.Pointer(&detail[0])) = 8
		ok, _, _ = procSetupDiGetDeviceInterfaceDetailW.Call(uintptr(devs), uintptr(unsafe.Pointer(&iface)), uintptr(unsafe.Pointer(&detail[0])), uintptr(need), 0, 0)
		if ok != 0 {
			paths = append(paths, windows.UTF16ToString(detail[2:]))
		}
	}
}

// hidCaps reads a HID interface's top-level usage and report sizes. It
// opens the device for no access, which Windows allows even for devices
// it keeps to itself (keyboards, mice).
func hidCaps(path string) (hidpCaps, error) {
	var caps hidpCaps
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return caps, err
	}
	h, err := windows.CreateFile(name, 0, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE, nil, windows.OPEN_EXISTING, 0, 0)
	if err != nil {
		return caps, err
	}
	defer windows.CloseHandle(h)
	var parsed uintptr
	if ok, _, err := procHidDGetPreparsedData.Call(uintptr(h), uintptr(unsafe.Pointer(&parsed))); byte(ok) == 0 {
		return caps, fmt.Errorf("HidD_GetPreparsedData: %w", err)
	}
	defer procHidDFreePreparsedData.Call(parsed)
	if status, _, _ := procHidPGetCaps.Call(parsed, uintptr(unsafe.Pointer(&caps))); uint32(status) != hidpStatusSuccess {
		return caps, fmt.Errorf("HidP_GetCaps: status %#x", uint32(status))
	}
	return caps, nil
}

// openHIDDevice opens a HID interface by its device path.
func openHIDDevice(path string) (*HID, error) {
	size := 64
	if caps, err := hidCaps(path); err == nil && int(caps.InputReportByteLength) > size {
		size = int(caps.InputReportByteLength)
	}
	f, err := openOverlapped(path)
	if err != nil {
		return nil, fmt.Errorf("opening the USB scale: %w", err)
	}
	h := NewHID(f)
	h.reportSize = size
	return h, nil
}

// openOverlapped opens a device for overlapped reads: Go's runtime polls
// the handle, so closing the file ends a read that waits for the scale
// (a synchronous read would block until the next report).
func openOverlapped(path string) (*os.File, error) {
	name, err := windows.UTF16PtrFromString(path)
	if err != nil {
		return nil, err
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ, windows.FILE_SHARE_READ|windows.FILE_SHARE_WRITE,
		nil, windows.OPEN_EXISTING, windows.FILE_FLAG_OVERLAPPED, 0)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(h), path), nil
}
