package i18n

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"doorway/booking"
)

// Spanish is written for a Spanish-speaking patient in the United States: usted, plain words,
// "martes 4 de marzo, 9:30 a. m., hora del centro".
var Spanish = &Messages{
	Lang: "es",
	Name: "Español",
	Format: Format{
		Day: func(t time.Time) string {
			return esWeekdays[t.Weekday()] + " " + strconv.Itoa(t.Day()) + " de " + esMonths[t.Month()-1]
		},
		DayYear: func(t time.Time) string { return spanishDay(t) + " de " + strconv.Itoa(t.Year()) },
		ShortDay: func(t time.Time) string {
			return esShortWeekdays[t.Weekday()] + " " + strconv.Itoa(t.Day()) + " de " + esShortMonths[t.Month()-1]
		},
		Clock: func(t time.Time) string {
			c, pm := clock12(t)
			if pm {
				return c + " p. m."
			}
			return c + " a. m."
		},
		Birth: func(t time.Time) string {
			return strconv.Itoa(t.Day()) + " de " + esMonths[t.Month()-1] + " de " + strconv.Itoa(t.Year())
		},
		Minutes:  func(n int) string { return hoursMinutes(n, "hora", "horas", "minuto", "minutos", " y ") },
		Or:       join("o"),
		Weekday:  func(d time.Weekday) string { return esWeekdays[d] },
		Weekdays: func(d time.Weekday) string { return "los " + esWeekdaysPlural[d] },
		Zone: usZone(map[string]string{"eastern": "hora del este", "central": "hora del centro", "mountain": "hora de la montaña",
			"arizona": "hora de Arizona", "pacific": "hora del Pacífico", "alaska": "hora de Alaska", "hawaii": "hora de Hawái",
			"atlantic": "hora del Atlántico", "uk": "hora del Reino Unido", "utc": "hora UTC"}, func(z string) string { return "hora de " + z }),
	},
	Layout: Layout{
		Skip:      "Ir al contenido principal",
		Tagline:   "Haga una cita",
		Questions: "¿Preguntas? Llámenos al {phone}.",
		Emergency: "En una emergencia, llame al 911.",
		Crisis:    "En una crisis de salud mental, llame o envíe un mensaje de texto al 988.",
		Step:      func(n, of int) string { return "Paso " + strconv.Itoa(n) + " de " + strconv.Itoa(of) },
		Steps:     [6]string{"", "Motivo", "Tipo de consulta", "Horario", "Sus datos", "Revisar y confirmar"},
		Back:      "Atrás",
		SwitchTo:  "Idioma",
		Describe: func(clinic string) string {
			return "Haga una cita en " + clinic + " por internet: vea los horarios disponibles, reserve el que le convenga y reciba la confirmación al instante."
		},
	},
	Reason: ReasonPage{
		Find:       "Buscar un motivo",
		FindHint:   "Basta con una palabra: rodilla, tos, receta.",
		FindButton: "Buscar",
		Common:     "Motivos frecuentes",
		Matches:    func(q string) string { return "Motivos que coinciden con «" + q + "»" },
		NoMatch: func(q string) string {
			return "Ningún motivo de la lista coincide con «" + q + "». Elija uno de la lista, o díganos en pocas palabras abajo."
		},
		MoreReasons:   func(n int) string { return "Todos los motivos (" + strconv.Itoa(n) + " más)" },
		Title:         "Motivo de su consulta",
		Heading:       "¿Por qué motivo quiere que lo atiendan?",
		Lede:          "Elija la opción que más se parezca. Si es una emergencia, no haga una cita: llame al 911.",
		Manage:        "¿Ya tiene una cita? Cámbiela o cancélela",
		OtherReasons:  "Otros motivos",
		UrgentGroup:   "Síntomas urgentes",
		UrgentHint:    "Si elige uno de estos, le diremos dónde conseguir ayuda de inmediato.",
		NotListed:     "¿No está en la lista?",
		SomethingElse: "Otro motivo",
		TypedLabel:    "Díganos en pocas palabras",
		TypedHint:     "Por ejemplo: control de la tiroides. Solo la clínica verá esto.",
		Continue:      "Continuar",
	},
	Urgent: UrgentPage{
		Title:          "Busque ayuda ahora mismo",
		Heading:        "Busque ayuda ahora mismo",
		DoubtHeading:   "¿Podría ser una emergencia?",
		Doubt:          "Algo de lo que escribió puede ser una señal de que necesita atención de inmediato. Si tiene dolor de pecho, dificultad para respirar, un sangrado fuerte, señales de un derrame cerebral o se siente muy mal, llame al {911} o vaya ahora mismo a la sala de emergencias más cercana.",
		GoOn:           "No es una emergencia: seguir con la cita",
		Crisis:         "Llame o envíe un mensaje de texto al {988} (Línea de Prevención del Suicidio y Crisis) ahora mismo, o llame al {911} si está en peligro.",
		Emergency:      "Lo que describe puede necesitar atención de inmediato. Llame al {911} o vaya a la sala de emergencias más cercana.",
		DontWait:       "Por favor, no espere a tener una cita. No podemos hacer esta cita por internet porque puede necesitar atención antes de nuestro próximo horario disponible.",
		WhereHeading:   "Dónde conseguir ayuda",
		Help911:        "Una emergencia que pone en peligro la vida: llame al {911}.",
		Help988:        "Pensamientos de suicidio o una crisis de salud mental: llame o envíe un mensaje de texto al {988}.",
		HelpUrgentCare: "No es una emergencia, pero no puede esperar: vaya a una clínica de atención urgente, o llámenos al {phone}.",
		NotUrgent:      "No es urgente: elegir otro motivo",
	},
	VisitType: VisitTypePage{
		Title:               "Tipo de consulta",
		Heading:             "¿Qué tipo de consulta necesita?",
		CallHeading:         "Llámenos para hacer esta cita",
		CallNote:            "Para este tipo de consulta, un profesional de la clínica tiene que organizarla primero, así que no se puede reservar por internet.",
		CallUs:              "Llámenos al {phone} y buscaremos un horario con usted.",
		ChooseAnotherReason: "Elegir otro motivo",
		Seen:                func(clinic string) string { return "¿Lo han atendido en " + clinic + " en los últimos 3 años?" },
		SeenHint:            "En cualquiera de nuestras clínicas, con cualquiera de nuestros profesionales.",
		Yes:                 "Sí",
		No:                  "No, es mi primera vez",
		Legend:              "Tipo de consulta",
		ForNew:              "Para pacientes nuevos",
		ForReturning:        "Para pacientes que ya hemos atendido",
	},
	Filters: Filters{
		Summary:        "Filtrar los horarios",
		Dates:          "Fechas",
		From:           "Desde",
		To:             "Hasta",
		Days:           "¿Qué días?",
		DaysHint:       "No marque ninguno si cualquier día le sirve.",
		Bands:          "¿A qué hora del día?",
		BandsHint:      "No marque ninguna si cualquier hora le sirve. Las horas son las de cada clínica.",
		Band:           map[booking.Band]string{booking.Morning: "Mañana", booking.Afternoon: "Tarde", booking.Evening: "Noche"},
		BandHint:       map[booking.Band]string{booking.Morning: "Antes del mediodía", booking.Afternoon: "Del mediodía a las 5 p. m.", booking.Evening: "Después de las 5 p. m."},
		Location:       "¿Dónde?",
		AnyLocation:    "Cualquiera de nuestras clínicas",
		Who:            "Nombre del profesional",
		WhoHint:        "Basta con parte del nombre. Déjelo vacío para ver a cualquiera: así encontrará los horarios más próximos.",
		Specialty:      "Especialidad",
		AnySpecialty:   "Cualquier especialidad",
		Speaks:         "Habla",
		AnyLanguage:    "Cualquier idioma",
		Apply:          "Mostrar horarios",
		Clear:          "Borrar filtros",
		ProviderSpeaks: func(langs []string) string { return "Habla " + join("y")(langs) },
		ProviderAt:     func(places []string) string { return "En " + join("y")(places) },
	},
	Times: TimesPage{
		Earlier:   "Antes",
		NextWeek:  "Semana siguiente",
		Weeks:     "Semanas",
		MoreTimes: func(n int) string { return strconv.Itoa(n) + " más" },
		NoTimes:   "Sin horarios",
		MoreGroups: func(n int) string {
			if n == 1 {
				return "1 profesional más este día"
			}
			return strconv.Itoa(n) + " profesionales más este día"
		},
		ProvidersOf: func(first, last, total int) string {
			return "Profesionales " + strconv.Itoa(first) + " a " + strconv.Itoa(last) + " de " + strconv.Itoa(total)
		},
		ClinicsOf: func(first, last, total int) string {
			return "Clínicas " + strconv.Itoa(first) + " a " + strconv.Itoa(last) + " de " + strconv.Itoa(total)
		},
		AllAt:           func(place string) string { return "Todos los horarios disponibles en " + place },
		StillLooking:    "Seguimos buscando horarios disponibles",
		StillLookingWhy: "La agenda de la clínica está tardando más de lo normal en responder. Los horarios aparecerán aquí en cuanto responda: esta página vuelve a buscar sola cada pocos segundos.",
		LookAgain:       "Buscar de nuevo",
		PrevClinics:     "Clínicas anteriores",
		NextClinics:     "Más clínicas",
		PrevProviders:   "Profesionales anteriores",
		NextProviders:   "Más profesionales",
		AllWith:         func(name string) string { return "Todos los horarios disponibles con " + name },
		AllOn:           func(day string) string { return "Todos los horarios disponibles del " + day },
		BackToAll:       "Volver a todos",
		Title:           "Elija un horario",
		Heading:         "Elija un horario",
		Change:          "Cambiar",
		ChangeWhat:      "lo que busca",
		Holding:         "Tiene reservado este horario: {when}. {keep}, o elija otro abajo.",
		Keep:            "Quedarme con este horario",
		Soonest:         "El más próximo: {when}, con {who}.",
		ChooseSoonest:   "Elegir el horario más próximo",
		Arrange:         "Ordenar los horarios",
		ByDay:           "Por día",
		ByProvider:      "Por profesional",
		ByLocation:      "Por clínica",
		Count: func(n int, atLeast bool) string {
			switch {
			case atLeast:
				return "Al menos " + strconv.Itoa(n) + " horarios disponibles, del más próximo al más lejano."
			case n == 1:
				return "1 horario disponible."
			}
			return strconv.Itoa(n) + " horarios disponibles, del más próximo al más lejano."
		},
		ZoneAll:     func(zone string) string { return "Todas las horas están en " + zone + "." },
		ZoneEach:    "Las horas son las de cada clínica.",
		Incomplete:  "La agenda de la clínica envió solo una parte de los horarios de algunos días. Acote su búsqueda (una hora del día, una clínica o un profesional) para verlos todos.",
		AllTimes:    "Todas las horas",
		Bands:       map[booking.Band]string{booking.Morning: "Mañanas", booking.Afternoon: "Tardes", booking.Evening: "Noches"},
		NoneHeading: "No hay horarios que coincidan",
		TryThese:    "Pruebe una de estas opciones:",
		CallToFind:  "O llámenos al {phone} y buscaremos un horario con usted.",
		Widen: map[booking.Widening]string{booking.WidenDays: "Cualquier día de la semana", booking.WidenBands: "Cualquier hora del día",
			booking.WidenProviders: "Cualquier profesional", booking.WidenLocations: "Cualquiera de nuestras clínicas", booking.WidenLater: "Los 7 días siguientes"},
		None:     spanishNone,
		Searched: spanishSearched,
		FromPush: "La agenda de la clínica no responde, así que estos son los horarios disponibles que nos envió por última vez. Confirmaremos su cita con la clínica.",
	},
	Hold: HoldNotice{
		Holding:  "Le guardamos las {clock} del {day} ({zone}) durante {left}.",
		TickOne:  "1 minuto más",
		TickMany: "{n} minutos más",
		Over:     "un momento más",
		Ended:    "Ya no le estamos guardando el horario. Puede continuar de todos modos: si alguien lo tomó mientras tanto, le mostraremos los horarios más cercanos.",
	},
	Details: DetailsPage{
		Title:        "Sus datos",
		Heading:      "¿Para quién es la cita?",
		Intro:        "Escriba los datos del paciente tal como los tiene la clínica. Si hace la cita para su hijo o hija, escriba el nombre y la fecha de nacimiento de su hijo o hija.",
		FirstName:    "Nombre",
		LastName:     "Apellidos",
		DOB:          "Fecha de nacimiento",
		DOBHint:      "Por ejemplo, 21 7 1984.",
		Year:         "Año",
		Month:        "Mes",
		Day:          "Día",
		DOBOrder:     [3]string{"day", "month", "year"},
		Phone:        "Teléfono celular",
		PhoneHint:    "Le enviaremos un recordatorio por mensaje de texto. Escriba un número de celular, un correo electrónico o los dos.",
		Email:        "Correo electrónico",
		Language:     "Idioma preferido",
		LanguageHint: "Si lo necesita, le conseguiremos un intérprete.",
		MRN:          "Número de expediente médico (opcional)",
		MRNHint:      "Si lo sabe: aparece en su portal del paciente o en el resumen de una consulta anterior.",
		Continue:     "Continuar",
	},
	Review: ReviewPage{
		Title:     "Revise y confirme",
		Heading:   "Revise y confirme",
		Reason:    "Motivo",
		VisitType: "Tipo de consulta",
		When:      "Cuándo",
		With:      "Con",
		Where:     "Dónde",
		Who:       "Paciente",
		At:        func(day, clock string) string { return day + " a las " + clock },
		Born:      func(d string) string { return "Fecha de nacimiento: " + d },
		Mobile:    func(p string) string { return "Celular: " + p },
		Prefers:   func(l string) string { return "Idioma preferido: " + l },
		Record:    func(n string) string { return "Número de expediente médico: " + n },
		Change:    "Cambiar",
		Consent:   "Al hacer la cita, usted acepta que la clínica se comunique con usted sobre esta cita.",
		Book:      "Confirmar la cita",
	},
	Booked: BookedPage{
		Heading: map[booking.Status]string{
			booking.StatusBooked:    "Su cita está confirmada",
			booking.StatusRequested: "Estamos confirmando su cita",
			booking.StatusFailed:    "No pudimos reservar este horario",
			booking.StatusCanceled:  "Esta cita está cancelada",
		},
		Text: map[booking.Status]string{
			booking.StatusBooked:    "La clínica confirmó su cita.",
			booking.StatusRequested: "Enviamos su cita a la clínica y estamos esperando que su sistema la confirme. Esto suele tardar un minuto. No tiene que hacer otra cita: actualice esta página para ver cómo va.",
			booking.StatusFailed:    "El sistema de la clínica no pudo confirmar este horario (quizás alguien lo reservó por teléfono mientras tanto), así que no se hizo ninguna cita. Elija otro horario, o llámenos y le ayudaremos.",
			booking.StatusCanceled:  "Esta cita fue cancelada. Puede hacer otra cuando quiera.",
		},
		Other:       func(status string) string { return "El estado de esta cita es: " + status + "." },
		VisitNumber: "Su número de cita es {number}",
		When:        "Cuándo",
		VisitType:   "Tipo de consulta",
		With:        "Con",
		Where:       "Dónde",
		For:         "Paciente",
		Before:      "Antes de su consulta",
		Span:        func(day, from, to string) string { return day + ", de " + from + " a " + to },
		Phone:       func(p string) string { return "Teléfono " + p },
		Print:       "Imprimir",
		BookAnother: "Hacer otra cita",
		Map:         "Cómo llegar (mapa)",
		Google:      "Calendario de Google",
		Outlook:     "Outlook (calendario)",
		ICS:         "Calendario de Apple u otro (.ics)",
		Calendars:   "Agréguela a su calendario",
		NextHeading: "Qué sigue",
		Next: []string{
			"La clínica ya tiene su cita: no tiene que hacer nada más por ahora.",
			"Traiga una identificación con foto, su tarjeta del seguro y una lista de las medicinas que toma.",
			"Si no puede venir, llame al {phone} lo antes posible, para que otra persona pueda usar ese horario.",
		},
		ForFamily: "Hacer una cita para alguien de su familia",
		Emailed:   "Le enviaremos por correo electrónico la confirmación, y un recordatorio antes de la cita, a la dirección que nos dio.",
		NoEmail:   "Este sitio no envía correos electrónicos: guarde su código de confirmación y el enlace de esta página.",
	},
	Manage: ManagePages{
		FindTitle:    "Busque su cita",
		FindIntro:    "Para ver, cambiar o cancelar una cita, escriba el código de su confirmación, el apellido y la fecha de nacimiento del paciente.",
		CodeLabel:    "Código de confirmación",
		CodeHint:     "6 letras y números, por ejemplo K7M-4QX. También sirve el número de visita.",
		LastName:     "Apellido del paciente",
		LastNameHint: "Como se dio al hacer la cita.",
		Find:         "Buscar mi cita",
		NoCode:       "¿No tiene el código? Llámenos al {phone}.",
		BookInstead:  "Hacer una cita nueva",
		Title:        "Su cita",
		CodeIs:       "Su código de confirmación es {code}",
		Status: map[booking.Status]string{
			booking.StatusBooked:    "Confirmada. La clínica tiene su cita.",
			booking.StatusRequested: "Estamos confirmando esta cita con la clínica.",
			booking.StatusCanceled:  "Esta cita está cancelada.",
			booking.StatusFailed:    "La clínica no pudo reservar este horario. Por favor, elija otro.",
			booking.StatusNoShow:    "No se presentó a esta cita.",
			booking.StatusArrived:   "Ya registró su llegada a esta cita.",
		},
		Moved:     "Su cita se cambió al horario de abajo.",
		Canceled:  "Su cita está cancelada. El horario queda libre para otra persona.",
		ByClinic:  "La clínica cambió esta cita. Así está ahora.",
		MovedHere: "Esta cita reemplazó a una que había hecho antes.",
		Change:    "Cambiar el horario",
		CancelIt:  "Cancelar la cita",
		TooLate: func(h int) string {
			return "A menos de " + strconv.Itoa(h) + " horas de la cita no se puede cambiar por internet: por favor, llame a la clínica."
		},
		Call:        "Llame al {phone}",
		CancelTitle: "Cancelar su cita",
		CancelWhy:   "¿Por qué cancela?",
		Reasons: map[string]string{"better": "Ya me siento mejor", "conflict": "Me surgió otra cosa", "elsewhere": "Me atienden en otro lugar",
			"transport": "No puedo llegar", "cost": "Costo o seguro", "other": "Otro motivo"},
		Other:          "Cuéntenos más",
		OtherHint:      "Solo si eligió otro motivo. No incluya datos médicos.",
		ConfirmCancel:  "Cancelar la cita",
		Keep:           "Conservar mi cita",
		Link:           "Administrar esta cita",
		LinkHint:       "Guarde este enlace: abre esta cita para cambiarla o cancelarla.",
		MovingFrom:     "En lugar de",
		MoveIt:         "Cambiar mi cita",
		MoveHeading:    "Revise y cambie",
		MovingNote:     func(when string) string { return "Está cambiando su cita del " + when + ". Elija el nuevo horario." },
		MovedHeading:   "Su cita cambió de horario",
		MovedText:      "La clínica tiene su nuevo horario, y el anterior queda libre para otra persona.",
		CalendarUpdate: "Actualizar su calendario (.ics)",
		StartFind:      "Buscar otra cita",
		RemindersOn: func(h int) string {
			return "Le enviaremos un recordatorio por correo electrónico " + strconv.Itoa(h) + " horas antes de la cita."
		},
		RemindersOff:  "No recibirá un recordatorio por correo electrónico para esta cita.",
		StopReminders: "Sin recordatorio por correo",
		SendReminders: "Enviarme un recordatorio",
	},
	Desk: DeskPages{
		Nav:         "Recepción",
		Day:         "Día",
		SignOut:     "Salir",
		Idle:        "Por privacidad, su sesión se cierra tras 15 minutos sin actividad.",
		IdleSoon:    "Su sesión se cerrará en 2 minutos: cargue una página para seguir dentro.",
		SignInTitle: "Entrada de recepción",
		SignIn:      "Entrar",
		Email:       "Correo electrónico",
		Password:    "Contraseña",
		Tagline:     "Recepción",
		Date:        "Día",
		Location:    "Clínica",
		Show:        "Mostrar",
		Days:        "Días",
		PrevDay:     "Día anterior",
		Today:       "Hoy",
		NextDay:     "Día siguiente",
		Stale:       "La agenda de la clínica no respondió a tiempo: pueden faltar citas hechas allí por teléfono, y no se muestran horarios libres.",
		NoProviders: "Nadie trabaja en esta clínica.",
		Nothing:     "Nada reservado ni libre.",
		Booked:      "Reservada",
		InEHR:       "reservada en el sistema de la clínica",
		Holding:     "Reservándose en línea",
		Blocked:     "Bloqueado",
		Open:        "Libre",
		DayOf:       func(day, location string) string { return day + " en " + location },
		Status:      map[booking.Status]string{booking.StatusBooked: "confirmada", booking.StatusRequested: "confirmándose con la agenda", booking.StatusFailed: "fallida", booking.StatusCanceled: "cancelada", booking.StatusNoShow: "no se presentó", booking.StatusArrived: "llegó"},
		Book:        "Reservar",
		BookTitle:   "Reservar para quien llama",
		ShowTimes:   "Mostrar horarios",
		VisitType:   "Tipo de consulta",
		Provider:    "Profesional",
		Anyone:      "Cualquiera",
		Everyone:    "Todos",
		From:        "Desde",
		Time:        "Horario",
		Patient:     "Paciente",
		NoTimes:     "No hay horarios libres en la semana desde ese día: pruebe otro día, lugar o profesional.",
		Booked2:     "Reservada para quien llama.",
		VisitTitle:  "Cita",
		BackToDay:   "Volver al día",
		Canceled:    "Cancelada para el paciente. El horario está libre de nuevo.",
		AuditTitle:  "Registro de auditoría",
		AuditCapped: "Solo se muestran las 500 entradas más recientes: acote el filtro.",
		NoRows:      "Ninguna entrada coincide.",
		CSV:         "Descargar como CSV",
		VisitNumber: "Número de visita",
		StaffMember: "Miembro del personal",
		Action:      "Acción",
		AnyAction:   "Cualquier acción",
		StaffSignIn: "Entrada del personal",
		When:        "Cuándo",
		Who:         "Quién",
		Actions:     map[string]string{"book": "Reservada", "cancel": "Cancelada", "reschedule": "Cambiada", "find": "Encontrada (paciente)", "find_failed": "Búsqueda fallida", "sign_in": "Entró", "sign_in_failed": "Entrada fallida", "sign_out": "Salió", "override": "Excepción", "resend": "Confirmación reenviada", "reminders_on": "Recordatorios activados (paciente)", "reminders_off": "Recordatorios desactivados (paciente)", "retry": "Reenviado (requiere atención)", "resolve": "Marcado como resuelto (requiere atención)", "kiosk_create": "Quiosco creado", "kiosk_code": "Código de quiosco emitido", "kiosk_revoke": "Quiosco revocado", "kiosk_enroll": "Quiosco configurado", "kiosk_enroll_failed": "Configuración de quiosco fallida"},
		Address:     "Dirección",
		Detail:      "Detalles",
		StatusLabel: "Estado",
		CodeLabel:   "Código de confirmación",
		CancelWhy:   "¿Por qué cancela el paciente?",
		Lift:        "Mostrar también horarios que los pacientes no pueden reservar",
		Rules: map[booking.Rule]string{booking.RuleLeadTime: "antes del plazo mínimo", booking.RuleHorizon: "más allá del plazo máximo de reserva",
			booking.RuleSelfBook: "tipo de visita solo para el personal", booking.RuleDoubleBook: "un horario ya reservado"},
		NoDoubleBook: func(vt string) string {
			return vt + " no admite doble reserva: la clínica la permite solo para algunos tipos de visita."
		},
		StaffOnly:    "solo personal",
		Override:     "Excepción",
		OverrideWhy:  "¿Por qué hace una excepción?",
		OverrideHint: "Los horarios marcados Excepción están fuera de lo que los pacientes pueden reservar. Reservar uno requiere un motivo, que se registra con su nombre y se envía al sistema de la clínica.",
		OverrideReasons: map[string]string{"urgent": "Urgente por motivos clínicos", "clinician": "Lo pidió un profesional clínico",
			"follow_up": "Un seguimiento que organizó la clínica", "access": "El paciente no puede venir en otro horario", "other": "Otro motivo"},
		OverrideNote:     "En sus palabras",
		OverrideNoteHint: "Necesario para otro motivo. Hasta 200 caracteres.",
		Returning:        "¿Paciente que ya vino?",
		FindIt:           "Buscar",
		UseIt:            "Usar estos datos",
		FirstNameStart:   "Nombre (opcional)",
		DOBHint:          "Por ejemplo, 1984-07-21 (año-mes-día).",
		NobodyFound:      "Nadie con ese apellido y fecha de nacimiento reservó aquí ni tiene una visita en la agenda de la clínica. Escriba sus datos abajo.",
		Born:             func(date string) string { return "nació el " + date },
		SeenHere:         func(day string) string { return "última reserva aquí para el " + day },
		SeenEHR:          func(day string) string { return "en la agenda de la clínica el " + day },
		Move:             "Cambiar a otro horario",
		Resend:           "Enviar de nuevo el correo de confirmación",
		Resent:           "El correo de confirmación va de nuevo en camino.",
		MoveTitle:        "Cambiar una cita",
		MoveIt:           "Cambiar a este horario",
		Moving:           func(patient, when string) string { return "Cambiando la visita de " + patient + " del " + when + "." },
		Moved:            "Cambiada para el paciente. El horario anterior se cancela en la clínica cuando se confirme este.",
		Attention: DeskAttention{
			Title: "Requiere atención",
			Nav: func(n int) string {
				if n == 0 {
					return "Requiere atención"
				}
				return "Requiere atención (" + strconv.Itoa(n) + ")"
			},
			Intro: "Lo que Doorway no pudo terminar por sí solo, lo más reciente primero. Cada grupo dice qué hacer; cuando esté hecho, márquelo como resuelto con una nota.",
			Empty: "Nada requiere atención en este momento.",
			Headings: map[booking.AttentionKind]string{
				booking.AttentionFailed:     "Rechazado por el sistema de la clínica",
				booking.AttentionMoveCancel: "Cambiada de hora, pero la hora anterior sigue reservada",
				booking.AttentionStuck:      "Sin entregar después de 15 minutos",
				booking.AttentionEmail:      "Correos que no llegaron al paciente",
				booking.AttentionInbound:    "Cambios del sistema de la clínica que Doorway no pudo aplicar",
			},
			Todo: map[booking.AttentionKind]string{
				booking.AttentionFailed:     "El sistema de la clínica rechazó estos mensajes, o Doorway dejó de intentarlo tras muchos intentos. Una cita rechazada significa que el paciente cree tener cita y no la tiene: llámelo para buscar otra hora. Vuelva a enviar solo cuando la causa esté resuelta.",
				booking.AttentionMoveCancel: "Estos pacientes cambiaron su cita de hora: la nueva hora está reservada, pero la anterior sigue reservada en el sistema de la clínica. Vuelva a enviar la cancelación, o cancele la cita anterior a mano en el sistema de la clínica.",
				booking.AttentionStuck:      "El sistema de la clínica no ha aceptado estos mensajes en 15 minutos; Doorway sigue intentándolo. Compruebe que el sistema de la clínica funciona, vuelva a enviar ahora y llame al paciente si la cita es pronto.",
				booking.AttentionEmail:      "El correo no llegó al paciente: el servidor de correo lo rechazó, o Doorway dejó de intentarlo tras muchos intentos. Llámelo para darle la hora (o avisarle del cambio o la cancelación) y compruebe su dirección. Vuelva a enviar solo cuando la causa esté resuelta, como la configuración del servidor de correo o un buzón lleno: el correo va a la dirección que se dio al reservar.",
				booking.AttentionInbound:    "El sistema de la clínica envió estos cambios y Doorway no pudo aplicarlos, así que la agenda de aquí puede estar desactualizada. Revise la cita en el sistema de la clínica y pida a quien administra Doorway que vuelva a aplicar el cambio cuando la causa esté resuelta.",
			},
			Messages: map[booking.OutboxKind]string{booking.OutboxNew: "Cita", booking.OutboxCancel: "Cancelación",
				booking.OutboxEmailConfirm: "Correo de confirmación", booking.OutboxEmailChange: "Correo de cambio",
				booking.OutboxEmailCancel: "Correo de cancelación", booking.OutboxEmailReminder: "Correo de recordatorio"},
			MovedFrom: func(visit string) string { return "cambiada desde " + visit },
			Inbound:   func(event string) string { return "Cambio del sistema de la clínica: " + event },
			Patient:   "Paciente",
			Phone:     "Teléfono",
			Email:     "Correo electrónico",
			Visit:     "Cita",
			Since:     "Desde",
			Said:      "El sistema de la clínica respondió",
			MailSaid:  "El servidor de correo respondió",
			Received:  "Recibido",
			Why:       "Motivo",
			Detail:    "Detalles",
			Attempts: func(n int) string {
				if n == 1 {
					return "1 intento"
				}
				return strconv.Itoa(n) + " intentos"
			},
			Reasons: map[string]string{
				booking.DeadInvalid:    "Falta un campo o es incorrecto",
				booking.DeadUnwanted:   "Un evento que Doorway no acepta",
				booking.DeadOutOfRange: "Una hora más allá de lo que Doorway guarda",
				booking.DeadNotFound:   "Se refiere a algo que Doorway no conoce",
				booking.DeadConflict:   "Contradice lo que Doorway tiene",
				booking.DeadOther:      "Otra cosa",
			},
			OpenVisit: func(visit string) string { return "Abrir la cita " + visit },
			Retry:     "Volver a enviar ahora",
			Resolve:   "Marcar como resuelto",
			Note:      "Nota: qué hizo",
			NoteHint:  "Obligatoria, hasta 500 caracteres. Se guarda con el asunto; solo para el personal.",
			Notices: map[string]string{
				"resolved":      "Marcado como resuelto. Ya no está en la lista.",
				"delivered":     "Se volvió a enviar y el sistema de la clínica lo aceptó. Ya no está en la lista.",
				"refused":       "Se volvió a enviar y el sistema de la clínica lo rechazó de nuevo: su respuesta está abajo.",
				"pending":       "Se volvió a enviar, pero todavía no ha llegado. Doorway sigue intentándolo; vuelve a aparecer aquí si en 15 minutos aún no ha llegado.",
				"email_sent":    "Se volvió a enviar y el servidor de correo lo aceptó. Ya no está en la lista.",
				"email_refused": "Se volvió a enviar y el servidor de correo lo rechazó de nuevo: su respuesta está abajo. Llame al paciente.",
				"email_pending": "Se volvió a enviar, pero el servidor de correo todavía no lo ha aceptado. Doorway sigue intentándolo; vuelve a aparecer aquí si falla definitivamente.",
			},
		},
	},
	Kiosk: KioskPages{
		Tagline:          "Pida una cita aquí",
		EnrollTitle:      "Configurar este quiosco",
		EnrollIntro:      "Esta tableta todavía no es un quiosco. Un administrador crea un quiosco en la recepción y recibe un código de un solo uso: escríbalo aquí.",
		EnrollCode:       "Código de inscripción",
		CodeHint:         "8 letras y números, por ejemplo K7M4-QXAC.",
		Enroll:           "Configurar",
		NextHeading:      "Próximas horas libres hoy en este lugar",
		NextIntro:        "Toque una hora para reservarla. Luego díganos por qué necesita consulta.",
		SomethingElse:    "Otra cosa: elija por qué necesita consulta",
		NoneToday:        "Ya no quedan horas libres hoy en este lugar.",
		SoonestOther:     "Las otras horas más próximas:",
		SeeDesk:          "Pase a la recepción, por favor.",
		WhyHeading:       "¿Qué le trae hoy?",
		WhyIntro:         "Le guardamos su hora mientras elige.",
		NoVisitType:      "Esta consulta no se puede reservar en el quiosco. Pase a la recepción, por favor.",
		Bring:            "Qué traer",
		BringAlways:      "Una identificación con foto y su tarjeta del seguro.",
		PhoneHint:        "La clínica llama a este número si su consulta cambia.",
		Email:            "Correo electrónico (opcional)",
		StartHeading:     "¿Por qué necesita consulta?",
		StartIntro:       "Toque un motivo, o díganos con sus palabras.",
		Other:            "Otro motivo",
		OtherHint:        "Díganos en pocas palabras.",
		Next:             "Siguiente",
		VisitTypeHeading: "¿Qué tipo de consulta necesita?",
		TimesHeading:     "Elija una hora",
		TimesIntro:       "Las horas más próximas van primero.",
		NoTimes:          "No hay horas libres esta semana. Pregunte en la recepción, por favor.",
		Today:            "Hoy",
		Tomorrow:         "Mañana",
		Time:             func(day, clock, provider string) string { return day + ", " + clock + " con " + provider },
		DetailsHeading:   "¿Para quién es la consulta?",
		DetailsIntro:     "Le guardamos esta hora mientras escribe.",
		Held:             func(when, provider, place string) string { return when + " con " + provider + " en " + place },
		Book:             "Reservar esta hora",
		TellDesk:         "Avise ahora a la recepción. Le ayudarán enseguida.",
		DoneHeading:      "Su cita está reservada",
		DoneIntro:        "Lleve su comprobante: tiene su hora y un código para cambiarla o cancelarla.",
		CodeLabel:        "Código de confirmación",
		Print:            "Imprimir mi comprobante",
		DoneSoon:         "Esta pantalla vuelve a empezar en 30 segundos.",
		SlipHeading:      "Su cita",
		SlipScan:         "Escanee para verla, cambiarla o cancelarla en su teléfono.",
		SlipNote:         "Guarde este comprobante. El código abre su cita en la recepción o en línea.",
		StartOver:        "Empezar de nuevo",
		IdleHeading:      "¿Sigue ahí?",
		IdleText:         "Esta pantalla vuelve a empezar en {n} segundos y olvida lo que escribió.",
		Continue:         "Continuar",
		AdminTitle:       "Quioscos",
		AdminIntro:       "Un quiosco es una tableta de la clínica donde los pacientes sin cita reservan. Créelo y escriba su código de un solo uso en la tableta, en /kiosk, antes de 24 horas. Al revocar un quiosco, su tableta deja de funcionar enseguida.",
		Name:             "Nombre",
		NameHint:         "Por ejemplo, Tableta de la entrada. Se ve en el día junto a lo que reserva.",
		Location:         "Sede",
		Create:           "Crear quiosco",
		NewCode:          "Código nuevo",
		Revoke:           "Revocar",
		Revoked:          "Revocado",
		Enrolled:         "Configurado",
		NotEnrolled:      "Sin configurar",
		CodeOnce: func(name, code, until string) string {
			return "El código de " + name + " es " + code + ". Escríbalo en la tableta antes de " + until + ". Solo se muestra esta vez."
		},
		CodeWaits: func(until string) string { return "un código sirve hasta " + until },
		Nobody:    "Todavía no hay quioscos.",
		Source:    func(name string) string { return "quiosco: " + name },
	},
	Funnel: FunnelPage{
		Nav:           "Cifras",
		Title:         "Cifras de citas",
		Intro:         "Cuántas personas buscaron, no encontraron un horario que les sirviera, guardaron un horario, reservaron, cancelaron y cambiaron de hora, día por día.",
		From:          "Desde",
		To:            "Hasta",
		Reason:        "Motivo",
		VisitType:     "Tipo de consulta",
		Channel:       "Quién",
		AnyReason:     "Cualquier motivo",
		AnyVisitType:  "Cualquier tipo de consulta",
		AnyChannel:    "Todos",
		Show:          "Mostrar",
		Channels:      map[booking.Channel]string{booking.ChannelWeb: "Pacientes en línea", booking.ChannelDesk: "Recepción", booking.ChannelClinic: "La clínica (EHR)", booking.ChannelKiosk: "Quioscos"},
		ReasonTyped:   "Escrito por el paciente",
		ReasonNone:    "Sin motivo preguntado",
		ReasonUnknown: "No se guarda (cancelaciones y cambios)",
		NoVisitType:   "Sin tipo de consulta",
		Range:         func(from, to string) string { return "Del " + from + " al " + to },
		ByDay:         "Por día",
		ByReason:      "Por motivo",
		ByVisitType:   "Por tipo de consulta",
		Day:           "Día",
		Searches:      "Búsquedas",
		NoFit:         "Sin horario",
		Holds:         "Guardados",
		Bookings:      "Reservas",
		Conversion:    "Reservas por búsqueda",
		Cancels:       "Cancelaciones",
		Reschedules:   "Cambios",
		Total:         "Totales",
		CSV:           "Descargar en CSV",
		Nothing:       "No se contó nada en estos días.",
		Notes: "Solo cifras: no se guarda ningún paciente, sesión ni dirección. Una búsqueda cuenta una vez por navegador y por conjunto de opciones hasta que ese navegador reserva; " +
			"la que no encontró ningún horario libre cuenta también en «Sin horario». Las cancelaciones y los cambios de hora se cuentan por tipo de consulta: " +
			"una cita no guarda el motivo con el que se buscó. Las cifras llegan a esta página en unos segundos.",
	},
	Calendar: CalendarFile{
		Summary: func(vt, clinic string) string { return vt + " en " + clinic },
		Description: func(visit, provider, phone string) string {
			return "Número de cita " + visit + ". Con " + provider + ". Teléfono de la clínica " + phone + "."
		},
	},
	Email: EmailWords{
		Subject: map[booking.EmailKind]func(string, string) string{
			booking.EmailConfirmation: func(when, clinic string) string { return "Cita reservada: " + when + ", " + clinic },
			booking.EmailChange:       func(when, clinic string) string { return "Cambio: su cita ahora es el " + when + ", " + clinic },
			booking.EmailCancellation: func(when, clinic string) string { return "Cancelada: su cita del " + when + ", " + clinic },
			booking.EmailReminder:     func(when, clinic string) string { return "Recordatorio: su cita del " + when + ", " + clinic },
		},
		Heading: map[booking.EmailKind]string{
			booking.EmailConfirmation: "Su cita está reservada",
			booking.EmailChange:       "Su cita ha cambiado",
			booking.EmailCancellation: "Su cita está cancelada",
			booking.EmailReminder:     "Su cita se acerca",
		},
		Lead: map[booking.EmailKind]string{
			booking.EmailConfirmation: "La clínica tiene su cita. Estos son los detalles.",
			booking.EmailChange:       "Su cita pasó a un nuevo horario, con un nuevo código de confirmación. Su horario anterior queda libre para otra persona.",
			booking.EmailCancellation: "Su cita está cancelada y el horario queda libre para otra persona. Puede reservar otra cuando quiera.",
			booking.EmailReminder:     "Le recordamos su cita.",
		},
		Attached: map[booking.EmailKind]string{
			booking.EmailConfirmation: "El archivo de calendario adjunto agrega la cita a su calendario.",
			booking.EmailChange:       "El archivo de calendario adjunto cambia la cita en su calendario.",
			booking.EmailCancellation: "El archivo de calendario adjunto quita la cita de su calendario.",
			booking.EmailReminder:     "El archivo de calendario adjunto agrega la cita a su calendario si todavía no está.",
		},
		Hello:     func(name string) string { return "Hola, " + name + ":" },
		Was:       "En lugar de",
		Manage:    "Ver, cambiar o cancelar su cita",
		Reminders: "¿No quiere recordatorios? Desactívelos en la página de su cita.",
		Footer: func(clinic string) string {
			return "Recibe este correo porque se reservó una cita con " + clinic + " para esta dirección. No responda con preguntas médicas: llámenos."
		},
		At: func(day, clock, zone string) string { return day + ", " + clock + ", " + zone },
	},
	Errors: ErrorPage{
		Heading:    spanishHeading,
		Message:    spanishStatusMessage,
		Summary:    "Hay un problema",
		Prefix:     "Error en este campo: ",
		TryAgain:   "Intentar de nuevo",
		StartAgain: "Empezar de nuevo",
		ChooseTime: "Elegir un horario",
		BackToForm: "Volver al formulario",
		CallUs:     "También puede llamarnos al {phone}.",
	},
	Problems:  spanishProblems,
	Languages: spanishLanguages,
}

var (
	esWeekdays       = [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"}
	esWeekdaysPlural = [7]string{"domingos", "lunes", "martes", "miércoles", "jueves", "viernes", "sábados"}
	esShortWeekdays  = [7]string{"dom.", "lun.", "mar.", "mié.", "jue.", "vie.", "sáb."}
	esMonths         = [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"}
	esShortMonths    = [12]string{"ene.", "feb.", "mar.", "abr.", "may.", "jun.", "jul.", "ago.", "sept.", "oct.", "nov.", "dic."}
	esBands          = map[booking.Band]string{booking.Morning: "por la mañana", booking.Afternoon: "por la tarde", booking.Evening: "por la noche"}
)

// spanishDay is "martes 4 de marzo".
func spanishDay(t time.Time) string {
	return esWeekdays[t.Weekday()] + " " + strconv.Itoa(t.Day()) + " de " + esMonths[t.Month()-1]
}

func spanishHeading(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Revise y vuelva a intentarlo"
	case http.StatusUnprocessableEntity:
		return "Revise sus respuestas"
	case http.StatusUnauthorized:
		return "Inicie sesión"
	case http.StatusForbidden:
		return "Este formulario ya venció"
	case http.StatusNotFound:
		return "No lo encontramos"
	case http.StatusConflict:
		return "Ese horario ya no está disponible"
	case http.StatusTooManyRequests:
		return "Demasiados intentos"
	case http.StatusServiceUnavailable:
		return "La agenda de la clínica no responde"
	case http.StatusRequestEntityTooLarge:
		return "Es demasiado largo"
	}
	if status >= 500 {
		return "Algo salió mal"
	}
	return "Revise y vuelva a intentarlo"
}

func spanishStatusMessage(status int) string {
	switch status {
	case http.StatusNotFound:
		return "No encontramos esa página."
	case http.StatusForbidden:
		return "Este formulario ya venció o vino de otro sitio. Vuelva atrás, recargue la página e inténtelo de nuevo."
	case http.StatusTooManyRequests:
		return "Hubo muchos intentos en poco tiempo. Espere un minuto y vuelva a intentarlo."
	case http.StatusRequestEntityTooLarge:
		return "El formulario es más largo de lo que aceptamos. Acorte lo que escribió e inténtelo de nuevo."
	case http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return "La agenda de la clínica está tardando demasiado en responder. Vuelva a intentarlo en un momento."
	case http.StatusMethodNotAllowed:
		return "Esa página no se puede usar de esa manera."
	case 499:
		return "Se canceló la solicitud."
	}
	if status >= 500 {
		return "Algo salió mal de nuestra parte. Vuelva a intentarlo."
	}
	return "Algo no estaba bien en esa solicitud. Vuelva atrás e inténtelo de nuevo."
}

// spanishSearched is "Consulta por enfermedad (20 minutos) · del mar. 4 de mar. al
// lun. 17 de mar. · los lunes · por la mañana · con Maya Okafor, MD".
func spanishSearched(s Search) string {
	parts := []string{s.VisitType + " (" + s.Length + ")", "del " + s.From + " al " + s.To}
	if d := spanishDays(s.Days); d != "" {
		parts = append(parts, d)
	}
	if b := spanishBands(s.Bands); b != "" {
		parts = append(parts, b)
	}
	if len(s.Providers) > 0 {
		parts = append(parts, "con "+join("o")(s.Providers))
	}
	if len(s.Locations) > 0 {
		parts = append(parts, "en "+join("o")(s.Locations))
	}
	return strings.Join(parts, " · ")
}

// spanishNone is "No hay horarios disponibles para «Consulta por enfermedad» del mar. 4 de
// mar. al lun. 17 de mar., los lunes, por la mañana, con Maya Okafor, MD."
func spanishNone(s Search) string {
	why := "No hay horarios disponibles para «" + s.VisitType + "» del " + s.From + " al " + s.To
	if d := spanishDays(s.Days); d != "" {
		why += ", " + d
	}
	if b := spanishBands(s.Bands); b != "" {
		why += ", " + b
	}
	if len(s.Providers) > 0 {
		why += ", con " + join("o")(s.Providers)
	}
	if len(s.Locations) > 0 {
		why += ", en " + join("o")(s.Locations)
	}
	return why + "."
}

func spanishDays(days []time.Weekday) string {
	var names []string
	for _, d := range weekOrder(days) {
		names = append(names, esWeekdaysPlural[d])
	}
	if len(names) == 0 {
		return ""
	}
	return "los " + join("y")(names)
}

func spanishBands(bands []booking.Band) string {
	var names []string
	for _, b := range bandOrder(bands) {
		names = append(names, esBands[b])
	}
	return join("y")(names)
}

var spanishProblems = map[booking.Msg]string{
	booking.MsgInternal:    "Algo salió mal de nuestra parte. Vuelva a intentarlo.",
	booking.MsgEHRSlow:     "La agenda de la clínica tardó demasiado en responder. Vuelva a intentarlo.",
	booking.MsgEHRDown:     "El sistema de citas de la clínica no responde en este momento. Vuelva a intentarlo en unos minutos.",
	booking.MsgEHRGarbled:  "El sistema de citas de la clínica envió una respuesta que no pudimos leer. Vuelva a intentarlo más tarde.",
	booking.MsgEHRRefused:  "El sistema de citas de la clínica no pudo aceptar esta solicitud.",
	booking.MsgEHRChanged:  "Esta cita cambió en el sistema de la clínica mientras tanto.",
	booking.MsgEHRSignIn:   "No pudimos conectarnos con el sistema de citas de la clínica. Por favor, llame a la clínica.",
	booking.MsgEHRLacking:  "A esta solicitud le falta algo que el sistema de citas de la clínica necesita.",
	booking.MsgMalformed:   "Este mensaje no se puede usar",
	booking.MsgFormUnread:  "No pudimos leer ese formulario. Vuelva a intentarlo.",
	booking.MsgPageExpired: "Esta página ya no está al día. Revise su cita otra vez y confírmela.",

	booking.MsgReasonMissing:      "Elija un motivo, o díganos en pocas palabras por qué quiere la cita.",
	booking.MsgReasonUnknown:      "Elija un motivo de la lista.",
	booking.MsgReasonTypedMissing: "Díganos en pocas palabras por qué quiere que lo atiendan.",
	booking.MsgReasonTypedLong:    "Escriba 200 caracteres como máximo.",

	booking.MsgSeenMissing:           "Díganos si lo hemos atendido aquí en los últimos 3 años.",
	booking.MsgVisitTypeMissing:      "Elija el tipo de consulta que necesita.",
	booking.MsgVisitTypeUnknown:      "Elija un tipo de consulta de la lista.",
	booking.MsgVisitTypeForNew:       "Esa consulta es para pacientes nuevos. Como ya lo hemos atendido, elija otro tipo de consulta.",
	booking.MsgVisitTypeForReturning: "Esa consulta es para pacientes que ya hemos atendido. Como es su primera vez, elija una consulta para pacientes nuevos.",

	booking.MsgFromMissing:       "Escriba la primera fecha en que podría venir.",
	booking.MsgFromFormat:        "Escriba una fecha como 2026-03-04 (año, mes, día).",
	booking.MsgFromPast:          "Elija hoy o una fecha posterior.",
	booking.MsgFromTooFar:        "Elija una fecha dentro del próximo año.",
	booking.MsgToMissing:         "Escriba la última fecha en que podría venir.",
	booking.MsgToFormat:          "Escriba una fecha como 2026-03-17 (año, mes, día).",
	booking.MsgToBeforeFrom:      "La última fecha tiene que ser igual o posterior a la primera.",
	booking.MsgToSpan:            "Elija fechas separadas por 14 días como máximo: los horarios se muestran de hasta dos semanas a la vez, y «Semana siguiente» sigue desde ahí.",
	booking.MsgDaysUnknown:       "Elija los días de la lista.",
	booking.MsgBandsUnknown:      "Elija las horas del día de la lista.",
	booking.MsgProvidersUnknown:  "Elija profesionales de la lista.",
	booking.MsgLocationsUnknown:  "Elija clínicas de la lista.",
	booking.MsgLocationsNoneWork: "Ninguno de los profesionales que eligió trabaja en estas clínicas. Elija otra clínica, o no marque ninguna.",
	booking.MsgWidenUnknown:      "Elija cómo ampliar la búsqueda.",
	booking.MsgNoProviderMatches: "Ningún profesional que ofrezca esta consulta coincide. Pruebe con parte de un nombre, o borre los filtros para ver a cualquiera.",

	booking.MsgSlotUnknown:           "Elija un horario de la lista.",
	booking.MsgSlotTaken:             "Alguien acaba de tomar ese horario. Estos son los horarios disponibles más cercanos.",
	booking.MsgSlotHeld:              "Otra persona está reservando ese horario. Estos son los horarios disponibles más cercanos.",
	booking.MsgTooManyHolds:          "Tiene demasiados horarios reservados a la vez desde este dispositivo. Termine o libere uno primero, o llámenos.",
	booking.MsgSlotGone:              "Lo sentimos, alguien acaba de tomar ese horario. Elija otro.",
	booking.MsgHoldExpired:           "Se terminó el tiempo que le guardábamos el horario. Elija un horario otra vez.",
	booking.MsgHoldLetGo:             "Se terminó el tiempo que le guardábamos el horario, así que lo liberamos. Elija un horario otra vez: guardamos sus demás respuestas.",
	booking.MsgBookedElsewhere:       "No podemos mostrar esa cita en este navegador. Los datos están en su mensaje de confirmación, o llámenos.",
	booking.MsgAlreadyCanceled:       "Esta cita ya está cancelada.",
	booking.MsgCannotCancel:          "Esta cita ya no se puede cancelar.",
	booking.MsgTooLateToChange:       "Falta muy poco para la cita para cambiarla por internet: por favor, llame a la clínica.",
	booking.MsgCodeInUse:             "Algo salió mal de nuestro lado. Por favor, inténtelo de nuevo.",
	booking.MsgManageNotFound:        "No encontramos esa cita. Revise el código, el apellido y la fecha de nacimiento, o llámenos.",
	booking.MsgManageCodeMissing:     "Escriba el código de confirmación o el número de visita.",
	booking.MsgManageLinkBad:         "Este enlace ya no funciona: venció o fue modificado. Busque su cita con su código.",
	booking.MsgManageTooMany:         "Demasiados intentos desde esta conexión. Espere unos minutos, o llámenos.",
	booking.MsgCancelReasonMissing:   "Elija por qué cancela.",
	booking.MsgCancelOtherMissing:    "Díganos el motivo, o elija uno de la lista.",
	booking.MsgSignInFailed:          "Ese correo y esa contraseña no coinciden con una cuenta que pueda entrar. Revíselos e inténtelo de nuevo, o pregunte a su administrador.",
	booking.MsgPasswordTooLong:       "Use una contraseña de 72 bytes como máximo (menos con letras acentuadas).",
	booking.MsgPasswordTooShort:      "Use una contraseña de al menos 10 caracteres.",
	booking.MsgEmailTaken:            "Ya existe una cuenta de personal con ese correo.",
	booking.MsgAdminOnly:             "Solo un administrador puede abrir esta página.",
	booking.MsgOverrideNeeded:        "Este horario está fuera de lo que los pacientes pueden reservar: elija por qué hace una excepción.",
	booking.MsgOverrideReasonMissing: "Elija por qué hace una excepción.",
	booking.MsgOverrideNoteMissing:   "Diga por qué en sus palabras.",
	booking.MsgOverrideNotAllowed:    "Solo un administrador puede reservar fuera de las reglas para pacientes.",
	booking.MsgDoubleBookNotAllowed:  "Este tipo de visita no se puede reservar en un horario ya reservado: elija un horario libre.",
	booking.MsgFunnelSpan:            "Elija como máximo un año de días (366).",
	booking.MsgKioskCodeWrong:        "Ese código no configura un quiosco: puede estar mal escrito, usado o vencido. Revíselo, o pida un código nuevo en la recepción.",
	booking.MsgKioskNameMissing:      "Dé un nombre al quiosco.",
	booking.MsgKioskNameLong:         "Use como mucho 60 caracteres para el nombre.",
	booking.MsgKioskLocation:         "Elija una de las sedes de la clínica.",
	booking.MsgKioskGone:             "Este quiosco fue revocado. Pida un código nuevo a un administrador.",

	booking.MsgNoteMissing:    "Escriba qué hizo, para quien lo lea después.",
	booking.MsgNoteLong:       "La nota debe tener 500 caracteres o menos.",
	booking.MsgAttentionGone:  "Esto ya no requiere atención: alguien lo resolvió, o el mensaje llegó mientras tanto.",
	booking.MsgCannotRetry:    "Esto no se puede volver a enviar desde aquí: llame al paciente o márquelo como resuelto con una nota.",
	booking.MsgRetryBusy:      "Doorway está enviando este mensaje en este momento. Espere un minuto y vuelva a mirar.",
	booking.MsgRetryTimeTaken: "La hora de esta cita se ocupó mientras tanto, así que no se puede volver a enviar. Llame al paciente para buscar otra hora y luego márquelo como resuelto.",

	booking.MsgFirstNameMissing: "Escriba su nombre.",
	booking.MsgFirstNameLong:    "El nombre puede tener 60 caracteres como máximo.",
	booking.MsgLastNameMissing:  "Escriba sus apellidos.",
	booking.MsgLastNameLong:     "Los apellidos pueden tener 60 caracteres como máximo.",
	booking.MsgFirstNameLetters: "El nombre tiene que tener al menos una letra.",
	booking.MsgLastNameLetters:  "Los apellidos tienen que tener al menos una letra.",
	booking.MsgEmailLong:        "Un correo electrónico puede tener 254 caracteres como máximo.",
	booking.MsgDOBMissing:       "Escriba su fecha de nacimiento.",
	booking.MsgDOBFormat:        "Escriba el día, el mes y el año en que nació, por ejemplo 21 7 1984.",
	booking.MsgDOBFuture:        "La fecha de nacimiento no puede ser en el futuro.",
	booking.MsgDOBOld:           "Revise el año de su fecha de nacimiento.",
	booking.MsgPhoneFormat:      "Escriba un número de celular como 308-201-3344, o +52 55 1234 5678.",
	booking.MsgEmailFormat:      "Escriba un correo electrónico como nombre@ejemplo.com.",
	booking.MsgContactMissing:   "Escriba un número de celular o un correo electrónico para que podamos comunicarnos con usted.",
	booking.MsgPhoneMissing:     "Escriba un número de teléfono para que la clínica pueda comunicarse con usted.",
	booking.MsgLanguageUnknown:  "Elija un idioma de la lista.",
	booking.MsgMRNFormat:        "El número de expediente médico solo tiene letras, números y guiones (hasta 20).",

	booking.MsgTokenMissing:     "Falta el encabezado verification-token.",
	booking.MsgTokenWrong:       "El token de verificación no coincide.",
	booking.MsgBodyTooLarge:     "El mensaje es más grande de lo que aceptamos.",
	booking.MsgBodyUnread:       "No se pudo leer el cuerpo del mensaje.",
	booking.MsgEventUnwanted:    "Esta dirección solo acepta notificaciones de Scheduling.",
	booking.MsgBodyNotJSON:      "El mensaje no es JSON, o está cortado.",
	booking.MsgChallengeMissing: "Falta el desafío de verificación.",
	booking.MsgAlreadyReplayed:  "Este mensaje no aplicado ya se volvió a aplicar.",
	booking.MsgNotEnabled:       "Este servicio no está activado.",
}

var spanishLanguages = []LanguageName{
	{"en", "inglés"}, {"es", "español"}, {"zh", "chino"}, {"vi", "vietnamita"},
	{"ar", "árabe"}, {"ko", "coreano"}, {"ru", "ruso"}, {"tl", "tagalo"},
	{"fr", "francés"}, {"ht", "criollo haitiano"}, {"pt", "portugués"}, {"de", "alemán"},
	{"hi", "hindi"}, {"ta", "tamil"}, {"so", "somalí"}, {"pl", "polaco"}, {"ja", "japonés"},
	{"it", "italiano"}, {"uk", "ucraniano"}, {"fa", "persa"},
}
