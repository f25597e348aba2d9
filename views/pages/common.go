package pages

import (
	"strconv"

	"doorway/views/components"
)

type fieldError = components.FieldError

func itoa(i int) string { return strconv.Itoa(i) }
